#pragma once
// SHA-256 (OpenSSL's), lower-case hex: what the Hugging Face Hub names an LFS file by and what
// a downloaded blob must hash to. Internal.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace chatbench {

// Throws chatbench::Error naming the file when it cannot be read.
std::string sha256OfFile(const std::filesystem::path &file);
std::string sha256OfBytes(std::string_view bytes);

} // namespace chatbench
