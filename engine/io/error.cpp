#include "chatbench/error.h"

namespace chatbench {

Error Error::inFile(const std::filesystem::path &file, const std::string &what)
{
    return Error(file.string() + ": " + what);
}

Error Error::atLine(const std::filesystem::path &file, std::size_t line, const std::string &what)
{
    return Error(file.string() + ":" + std::to_string(line) + ": " + what);
}

Error Error::atOffset(
    const std::filesystem::path &file, std::uint64_t offset, const std::string &what)
{
    return Error(file.string() + ": byte " + std::to_string(offset) + ": " + what);
}

} // namespace chatbench
