#pragma once
// UTF-8 decoding that never fails: user text comes from arbitrary files, and one bad byte must
// not stop a 66 MB corpus. Invalid input decodes the way Python's bytes.decode("utf-8",
// errors="replace") does: each maximal ill-formed subsequence becomes one U+FFFD (which the BERT
// cleaning step then drops), so the characters after it survive exactly as in Python.

#include <cstddef>
#include <cstdint>
#include <string>

namespace chatbench::utf8 {

constexpr char32_t kReplacement = 0xFFFD;

inline bool isContinuation(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

// Decodes one code point at p (p < end) into cp and returns how many bytes it used (>= 1).
inline std::size_t decode(const char *p, const char *end, char32_t &cp)
{
    const auto *s = reinterpret_cast<const unsigned char *>(p);
    const std::size_t avail = static_cast<std::size_t>(end - p);
    const unsigned char b0 = s[0];
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t need;
    unsigned char lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        if (b0 == 0xE0)
            lo = 0xA0; // no overlongs
        else if (b0 == 0xED)
            hi = 0x9F; // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        if (b0 == 0xF0)
            lo = 0x90;
        else if (b0 == 0xF4)
            hi = 0x8F; // <= U+10FFFF
    } else {
        cp = kReplacement;
        return 1;
    }
    char32_t value = b0 & (0x3F >> need);
    for (std::size_t i = 1; i <= need; ++i) {
        if (i >= avail) {
            cp = kReplacement;
            return i;
        }
        const unsigned char b = s[i];
        if (i == 1 ? (b < lo || b > hi) : !isContinuation(b)) {
            cp = kReplacement;
            return i;
        }
        value = (value << 6) | (b & 0x3F);
    }
    cp = value;
    return need + 1;
}

inline void append(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        const char b[2]
            = { static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F)) };
        out.append(b, 2);
    } else if (cp < 0x10000) {
        const char b[3] = { static_cast<char>(0xE0 | (cp >> 12)),
            static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F)) };
        out.append(b, 3);
    } else {
        const char b[4] = { static_cast<char>(0xF0 | (cp >> 18)),
            static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
            static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F)) };
        out.append(b, 4);
    }
}

// True when the whole string is well-formed UTF-8.
inline bool isValid(const std::string &s)
{
    const char *p = s.data(), *end = p + s.size();
    while (p < end) {
        char32_t cp;
        std::size_t n = decode(p, end, cp);
        if (cp == kReplacement && !(n == 3 && static_cast<unsigned char>(p[0]) == 0xEF))
            return false;
        p += n;
    }
    return true;
}

} // namespace chatbench::utf8
