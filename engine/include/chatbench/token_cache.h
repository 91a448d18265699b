#pragma once
// Tokenized examples on disk, memory-mapped for training: opening a prepared corpus costs a few
// page faults, not a re-tokenization.
//
// Layout (little-endian): "CBTOKENS", u32 version (1), u32 id width in bytes (2 when the
// vocabulary has < 65536 tokens, else 4), u64 key, u64 example count N, u64 token count T,
// u32 vocabulary size, u32 zero; then N+1 u64 offsets (example i is ids[offsets[i],
// offsets[i+1])); then T ids. The key is the hash of whatever produced the file (corpus bytes,
// tokenizer, options) so a caller can tell a stale cache from a fresh one without reading it.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace chatbench {

class TokenCache
{
public:
    // Maps and validates the file. Throws chatbench::Error naming the file and the problem.
    static TokenCache open(const std::filesystem::path &file);

    TokenCache(TokenCache &&) noexcept;
    TokenCache &operator=(TokenCache &&) noexcept;
    ~TokenCache();

    std::uint64_t key() const;
    std::size_t size() const; // examples
    std::uint64_t tokenCount() const;
    std::int32_t vocabSize() const;
    int idBytes() const;

    std::size_t length(std::size_t example) const;
    // Replaces out with example's ids.
    void read(std::size_t example, std::vector<std::int32_t> &out) const;
    std::vector<std::int32_t> operator[](std::size_t example) const;

private:
    struct Impl;
    explicit TokenCache(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

// Writes atomically: a reader, or a crash, never sees a partial file. offsets has N+1 entries,
// starting at 0 and ending at ids.size(). Throws chatbench::Error.
void writeTokenCache(const std::filesystem::path &file, std::uint64_t key, std::int32_t vocabSize,
    const std::vector<std::uint64_t> &offsets, const std::vector<std::int32_t> &ids);

} // namespace chatbench
