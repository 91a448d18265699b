#pragma once
// The one exception type the engine throws for bad input and failed I/O. Its message is meant
// for the user as is: it names the file and, where known, the line or byte offset.

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace chatbench {

class Error : public std::runtime_error
{
public:
    explicit Error(const std::string &message) : std::runtime_error(message) { }

    // "FILE: WHAT"
    static Error inFile(const std::filesystem::path &file, const std::string &what);
    // "FILE:LINE: WHAT" (lines count from 1)
    static Error atLine(
        const std::filesystem::path &file, std::size_t line, const std::string &what);
    // "FILE: byte OFFSET: WHAT"
    static Error atOffset(
        const std::filesystem::path &file, std::uint64_t offset, const std::string &what);
};

} // namespace chatbench
