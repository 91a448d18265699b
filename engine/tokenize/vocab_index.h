#pragma once
// Token -> id lookup without building a std::string per query (C++17's unordered_map has no
// heterogeneous lookup): open addressing over a byte arena, so WordPiece's many probes per word
// cost a hash and a memcmp each. Copyable (offsets, not pointers).

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

class VocabIndex
{
public:
    // With prefix, only tokens that start with it are indexed, under the key without it
    // ("##ing" is found as "ing"), so a continuation lookup needs no concatenation.
    void build(const std::vector<std::string> &tokens, std::string_view prefix = {})
    {
        std::size_t count = 0;
        for (const std::string &t : tokens)
            count += startsWith(t, prefix);
        std::size_t capacity = 16;
        while (capacity < count * 2)
            capacity *= 2;
        m_slots.assign(capacity, Slot {});
        m_mask = capacity - 1;
        m_arena.clear();
        m_maxKeySize = 0;
        for (std::size_t id = 0; id < tokens.size(); ++id) {
            if (!startsWith(tokens[id], prefix))
                continue;
            const std::string_view key = std::string_view(tokens[id]).substr(prefix.size());
            const std::uint32_t h = hash(key);
            std::size_t i = h & m_mask;
            while (m_slots[i].id >= 0)
                i = (i + 1) & m_mask;
            m_slots[i] = { static_cast<std::uint32_t>(m_arena.size()),
                static_cast<std::uint32_t>(key.size()), static_cast<std::int32_t>(id), h };
            m_arena.append(key);
            if (key.size() > m_maxKeySize)
                m_maxKeySize = key.size();
        }
    }

    std::int32_t find(std::string_view key) const
    {
        if (m_slots.empty())
            return -1;
        const std::uint32_t h = hash(key);
        for (std::size_t i = h & m_mask;; i = (i + 1) & m_mask) {
            const Slot &s = m_slots[i];
            if (s.id < 0)
                return -1;
            if (s.hash == h && s.size == key.size()
                && std::memcmp(m_arena.data() + s.offset, key.data(), key.size()) == 0)
                return s.id;
        }
    }

    // No key is longer (in bytes): WordPiece starts its longest-match search here.
    std::size_t maxKeySize() const { return m_maxKeySize; }

private:
    struct Slot
    {
        std::uint32_t offset = 0;
        std::uint32_t size = 0;
        std::int32_t id = -1;
        std::uint32_t hash = 0;
    };

    static bool startsWith(std::string_view s, std::string_view prefix)
    {
        return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
    }

    static std::uint32_t hash(std::string_view key) // FNV-1a: keys are a few bytes long
    {
        std::uint32_t h = 2166136261u;
        for (char c : key) {
            h ^= static_cast<unsigned char>(c);
            h *= 16777619u;
        }
        return h ^ (h >> 15);
    }

    std::string m_arena;
    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_maxKeySize = 0;
};

} // namespace chatbench
