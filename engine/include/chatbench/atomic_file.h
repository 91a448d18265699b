#pragma once
// Writes that must never leave a half-written file behind: the bytes go to a temporary file in
// the same folder, are fsync'ed, and the temporary is renamed over the target (then the folder
// is fsync'ed so the rename itself survives a power cut). A reader sees the old file or the new
// one, never a mix; a crash leaves at most a stray "*.tmp-*" file, never a torn target.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace chatbench {

class AtomicFile
{
public:
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile(); // discards the temporary unless commit() succeeded
    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;

    void write(const void *data, std::size_t size);
    void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }
    // fsync + rename + fsync of the folder. Throws chatbench::Error on any failure.
    void commit();

    const std::filesystem::path &target() const { return m_target; }

private:
    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    int m_fd = -1;
};

void writeFileAtomically(const std::filesystem::path &target, std::string_view bytes);

// Reads a whole (small) file; throws chatbench::Error naming the file when it cannot.
std::string readSmallFile(const std::filesystem::path &file);

} // namespace chatbench
