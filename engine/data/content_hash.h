#pragma once
// A fast 64-bit hash for cache keys (not cryptographic): it must see every byte of a 66 MB
// corpus in a few milliseconds, and only has to tell one input from another.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace chatbench {

class ContentHash
{
public:
    void update(std::string_view bytes)
    {
        const char *p = bytes.data();
        std::size_t n = bytes.size();
        for (; n >= 8; n -= 8, p += 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            mix(w);
        }
        std::uint64_t tail = 0;
        if (n > 0) // an empty view may carry a null pointer, which memcpy must never see
            std::memcpy(&tail, p, n);
        mix(tail ^ (std::uint64_t(n) << 56));
        mix(bytes.size());
    }
    void update(std::uint64_t value) { mix(value); }

    std::uint64_t digest() const
    {
        std::uint64_t h = m_h;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ULL;
        return h ^ (h >> 33);
    }

private:
    void mix(std::uint64_t w)
    {
        w *= 0x87c37b91114253d5ULL;
        w = (w << 31) | (w >> 33);
        m_h ^= w * 0x4cf5ad432745937fULL;
        m_h = ((m_h << 27) | (m_h >> 37)) * 5 + 0x52dce729;
    }

    std::uint64_t m_h = 0x9e3779b97f4a7c15ULL;
};

} // namespace chatbench
