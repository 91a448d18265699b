#include "chatbench/token_cache.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "io/mapped_file.h"

#include <algorithm>
#include <cstring>

namespace chatbench {
namespace {

constexpr char kMagic[8] = { 'C', 'B', 'T', 'O', 'K', 'E', 'N', 'S' };
constexpr std::uint32_t kVersion = 1;

struct Header
{
    char magic[8];
    std::uint32_t version;
    std::uint32_t idBytes;
    std::uint64_t key;
    std::uint64_t count;
    std::uint64_t tokens;
    std::uint32_t vocabSize;
    std::uint32_t reserved;
};
static_assert(sizeof(Header) == 48, "the header is part of the file format");

} // namespace

struct TokenCache::Impl
{
    MappedFile file;
    Header header;
    const std::uint64_t *offsets = nullptr;
    const char *ids = nullptr;
};

TokenCache TokenCache::open(const std::filesystem::path &file)
{
    auto d = std::make_unique<Impl>(Impl { MappedFile(file), {}, nullptr, nullptr });
    const auto bytes = d->file.bytes();
    if (bytes.size() < sizeof(Header))
        throw Error::inFile(file, "not a token cache (too short)");
    std::memcpy(&d->header, bytes.data(), sizeof(Header));
    const Header &h = d->header;
    if (std::memcmp(h.magic, kMagic, 8) != 0)
        throw Error::inFile(file, "not a token cache (bad magic)");
    if (h.version != kVersion)
        throw Error::inFile(file,
            "token cache version " + std::to_string(h.version) + " is not supported (expected "
                + std::to_string(kVersion) + ")");
    if (h.idBytes != 2 && h.idBytes != 4)
        throw Error::inFile(file, "bad id width " + std::to_string(h.idBytes));
    const std::uint64_t expected = sizeof(Header) + 8 * (h.count + 1) + h.idBytes * h.tokens;
    if (h.count > bytes.size() || h.tokens > bytes.size() || expected != bytes.size())
        throw Error::inFile(file,
            "truncated or oversized token cache: " + std::to_string(bytes.size())
                + " bytes, header promises " + std::to_string(expected));
    d->offsets = reinterpret_cast<const std::uint64_t *>(bytes.data() + sizeof(Header));
    d->ids = bytes.data() + sizeof(Header) + 8 * (h.count + 1);
    if (d->offsets[0] != 0 || d->offsets[h.count] != h.tokens)
        throw Error::inFile(file, "token cache offsets do not span the ids");
    for (std::uint64_t i = 0; i < h.count; ++i)
        if (d->offsets[i] > d->offsets[i + 1])
            throw Error::inFile(
                file, "token cache offsets decrease at example " + std::to_string(i));
    return TokenCache(std::move(d));
}

TokenCache::TokenCache(std::unique_ptr<Impl> impl) : d(std::move(impl))
{ }
TokenCache::TokenCache(TokenCache &&) noexcept = default;
TokenCache &TokenCache::operator=(TokenCache &&) noexcept = default;
TokenCache::~TokenCache() = default;

std::uint64_t TokenCache::key() const
{
    return d->header.key;
}

std::size_t TokenCache::size() const
{
    return d->header.count;
}

std::uint64_t TokenCache::tokenCount() const
{
    return d->header.tokens;
}

std::int32_t TokenCache::vocabSize() const
{
    return static_cast<std::int32_t>(d->header.vocabSize);
}

int TokenCache::idBytes() const
{
    return static_cast<int>(d->header.idBytes);
}

std::size_t TokenCache::length(std::size_t example) const
{
    return d->offsets[example + 1] - d->offsets[example];
}

void TokenCache::read(std::size_t example, std::vector<std::int32_t> &out) const
{
    if (example >= size())
        throw Error("token cache: example " + std::to_string(example) + " out of range ("
            + std::to_string(size()) + " examples)");
    const std::uint64_t begin = d->offsets[example], end = d->offsets[example + 1];
    out.resize(end - begin);
    if (d->header.idBytes == 4) {
        std::memcpy(out.data(), d->ids + 4 * begin, 4 * (end - begin));
        return;
    }
    const char *p = d->ids + 2 * begin;
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint16_t v;
        std::memcpy(&v, p + 2 * i, 2);
        out[i] = v;
    }
}

std::vector<std::int32_t> TokenCache::operator[](std::size_t example) const
{
    std::vector<std::int32_t> out;
    read(example, out);
    return out;
}

void writeTokenCache(const std::filesystem::path &file, std::uint64_t key, std::int32_t vocabSize,
    const std::vector<std::uint64_t> &offsets, const std::vector<std::int32_t> &ids)
{
    if (offsets.empty() || offsets.front() != 0 || offsets.back() != ids.size())
        throw Error::inFile(file, "token cache offsets do not span the ids");
    Header h {};
    std::memcpy(h.magic, kMagic, 8);
    h.version = kVersion;
    h.idBytes = vocabSize < 65536 ? 2 : 4;
    h.key = key;
    h.count = offsets.size() - 1;
    h.tokens = ids.size();
    h.vocabSize = static_cast<std::uint32_t>(vocabSize);
    AtomicFile out(file);
    out.write(&h, sizeof h);
    out.write(offsets.data(), 8 * offsets.size());
    if (h.idBytes == 4) {
        out.write(ids.data(), 4 * ids.size());
    } else {
        std::vector<std::uint16_t> narrow;
        constexpr std::size_t kBlock = 1 << 20;
        for (std::size_t i = 0; i < ids.size(); i += kBlock) {
            const std::size_t n = std::min(kBlock, ids.size() - i);
            narrow.resize(n);
            for (std::size_t j = 0; j < n; ++j) {
                const std::int32_t id = ids[i + j];
                if (id < 0 || id >= vocabSize)
                    throw Error::inFile(
                        file, "token id " + std::to_string(id) + " outside the vocabulary");
                narrow[j] = static_cast<std::uint16_t>(id);
            }
            out.write(narrow.data(), 2 * n);
        }
    }
    out.commit();
}

} // namespace chatbench
