#pragma once
// Enum <-> name tables for the values files and command lines spell as words (run.json's
// "schedule": "cosine", metrics.jsonl's "event": "valid", --precision bf16): each is parsed once,
// where its text enters, and travels as the enum from there. Internal to the engine.

#include "chatbench/error.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace chatbench {

template<typename E>
struct EnumName
{
    E value;
    const char *name;
};

template<typename E, std::size_t N>
const char *enumName(const EnumName<E> (&table)[N], E value)
{
    for (const auto &entry : table)
        if (entry.value == value)
            return entry.name;
    return "?";
}

// Throws chatbench::Error "<what> '<text>': expected a, b or c".
template<typename E, std::size_t N>
E parseEnumName(const EnumName<E> (&table)[N], std::string_view text, std::string_view what)
{
    for (const auto &entry : table)
        if (text == entry.name)
            return entry.value;
    std::string expected;
    for (std::size_t i = 0; i < N; ++i)
        expected += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + table[i].name;
    throw Error(std::string(what) + " '" + std::string(text) + "': expected " + expected);
}

} // namespace chatbench
