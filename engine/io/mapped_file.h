#pragma once
// A read-only memory map of a whole file. Corpora, token caches and safetensors weights are read
// through it: the kernel pages the bytes in and out, so a large file costs address space, not heap.

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace chatbench {

class MappedFile
{
public:
    // Throws chatbench::Error naming the file. An empty file maps to an empty view.
    explicit MappedFile(const std::filesystem::path &file, bool sequential = false);
    MappedFile() = default; // empty
    ~MappedFile();
    MappedFile(MappedFile &&other) noexcept;
    MappedFile &operator=(MappedFile &&other) noexcept;
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    std::string_view bytes() const { return { m_data, m_size }; }
    const char *data() const { return m_data; }
    std::size_t size() const { return m_size; }

private:
    const char *m_data = nullptr;
    std::size_t m_size = 0;
};

} // namespace chatbench
