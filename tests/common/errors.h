#pragma once
// What a call throws, for tests that check the engine's messages.

#include "chatbench/error.h"

#include <functional>
#include <string>

namespace chatbench::test {

// The chatbench::Error message f throws, or "(no chatbench::Error thrown)".
inline std::string errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return e.what();
    }
    return "(no chatbench::Error thrown)";
}

inline bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace chatbench::test
