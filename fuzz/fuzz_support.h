#pragma once
// Helpers shared by the fuzz targets: the engine's parsers read files, so each input is written
// to a file in a private temporary folder (removed at exit) first.

#include "chatbench/error.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace fuzz {

inline const std::filesystem::path &tempDir()
{
    // Never freed (still reachable, so no leak report): atexit must be able to use it.
    static const std::filesystem::path *dir = [] {
        const char *base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/chatbench-fuzz-XXXXXX";
        if (!mkdtemp(pattern.data())) {
            std::perror("mkdtemp");
            std::abort();
        }
        auto *made = new std::filesystem::path(pattern);
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(tempDir(), ec);
        });
        return made;
    }();
    return *dir;
}

inline std::filesystem::path writeFile(const std::string &name, std::string_view bytes)
{
    const auto file = tempDir() / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) {
        std::perror("write");
        std::abort();
    }
    return file;
}

inline std::string_view asText(const std::uint8_t *data, std::size_t size)
{
    return { reinterpret_cast<const char *>(data), size };
}

// A property the target checks failed: report it as a crash.
[[noreturn]] inline void fail(const char *what)
{
    std::fprintf(stderr, "fuzz property violated: %s\n", what);
    std::abort();
}

} // namespace fuzz
