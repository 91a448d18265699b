#include "tokenize/bert_pre_tokenizer.h"

#include "tokenize/utf8.h"

#include <array>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace chatbench {
namespace {

enum : std::uint8_t {
    kDrop = 1, // removed by cleaning
    kSpace = 2, // separates words
    kCjk = 4,
    kPunct = 8,
    kNfcInert = 16, // NFC leaves it and its neighbours alone
    kNfdKeep = 32, // accent stripping leaves it alone (NFD-inert and not Mn)
    kLowerSame = 64, // full lowercasing leaves it alone
};

const icu::Normalizer2 &nfc()
{
    UErrorCode status = U_ZERO_ERROR;
    static const icu::Normalizer2 *instance = icu::Normalizer2::getNFCInstance(status);
    return *instance;
}

const icu::Normalizer2 &nfd()
{
    UErrorCode status = U_ZERO_ERROR;
    static const icu::Normalizer2 *instance = icu::Normalizer2::getNFDInstance(status);
    return *instance;
}

bool isAsciiPunctuation(unsigned char c)
{
    return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96)
        || (c >= 123 && c <= 126);
}

std::uint8_t computeFlags(char32_t cp)
{
    const UChar32 c = static_cast<UChar32>(cp);
    if (cp == 0 || cp == utf8::kReplacement)
        return kDrop;
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == ' ')
        return kSpace;
    const int type = u_charType(c);
    switch (type) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
    case U_UNASSIGNED:
        return kDrop;
    case U_SPACE_SEPARATOR:
        return kSpace;
    default:
        break;
    }
    // Cleaning keeps U+2028/U+2029, but Python's str.split() still splits on them.
    if (cp == 0x2028 || cp == 0x2029)
        return kSpace;
    std::uint8_t flags = 0;
    if (isCjkIdeograph(cp))
        flags |= kCjk;
    if (isBertPunctuation(cp))
        flags |= kPunct;
    if (nfc().isInert(c))
        flags |= kNfcInert;
    if (nfd().isInert(c) && type != U_NON_SPACING_MARK)
        flags |= kNfdKeep;
    if (!u_hasBinaryProperty(c, UCHAR_CHANGES_WHEN_LOWERCASED))
        flags |= kLowerSame;
    return flags;
}

// Computed from ICU once per process (about a millisecond), not written by hand.
std::uint8_t flagsOf(char32_t cp)
{
    static const auto bmp = [] {
        std::array<std::uint8_t, 0x10000> table {};
        for (char32_t c = 0; c < 0x10000; ++c)
            table[c] = computeFlags(c);
        return table;
    }();
    return cp < 0x10000 ? bmp[cp] : computeFlags(cp);
}

} // namespace

bool isCjkIdeograph(char32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

bool isBertPunctuation(char32_t cp)
{
    if (cp < 0x80)
        return isAsciiPunctuation(static_cast<unsigned char>(cp));
    return (U_GET_GC_MASK(static_cast<UChar32>(cp)) & U_GC_P_MASK) != 0;
}

BertPreTokenizer::BertPreTokenizer(Options options)
    : m_options(std::move(options)),
      m_neverSplit(m_options.neverSplit.begin(), m_options.neverSplit.end())
{
    m_neverSplit.erase(std::string());
    m_simpleMask = m_options.nfc ? kNfcInert : 0;
    if (m_options.stripAccents)
        m_simpleMask |= kNfdKeep;
    if (m_options.lowerCase)
        m_simpleMask |= kLowerSame;
    for (const std::string &token : m_neverSplit)
        m_neverSplitFirst[static_cast<unsigned char>(token[0])] = true;
}

bool BertPreTokenizer::isNeverSplit(std::string_view word) const
{
    return m_neverSplitFirst[static_cast<unsigned char>(word[0])]
        && m_neverSplit.count(std::string(word)) != 0;
}

void BertPreTokenizer::run(std::string_view utf8Text, PreTokens &out) const
{
    std::string &word = out.word;
    word.clear();
    bool simple = true;
    const char *p = utf8Text.data();
    const char *const end = p + utf8Text.size();
    while (p < end) {
        const auto b = static_cast<unsigned char>(*p);
        if (b < 0x80) {
            ++p;
            if (b > 0x20 && b != 0x7F)
                word.push_back(static_cast<char>(b));
            else if (b == ' ' || b == '\t' || b == '\n' || b == '\r')
                flushWord(out, simple);
            // other ASCII controls (NUL, ESC, DEL, ...) are dropped
            continue;
        }
        char32_t cp;
        const std::size_t n = utf8::decode(p, end, cp);
        const std::uint8_t flags = flagsOf(cp); // U+FFFD, also from invalid UTF-8, is kDrop
        if (flags & kDrop) {
            // also invalid UTF-8, decoded as U+FFFD
        } else if (flags & kSpace) {
            flushWord(out, simple);
        } else if ((flags & kCjk) && m_options.chineseChars) {
            flushWord(out, simple);
            word.assign(p, n);
            simple = (flags & m_simpleMask) == m_simpleMask;
            flushWord(out, simple);
        } else {
            word.append(p, n);
            simple = simple && (flags & m_simpleMask) == m_simpleMask;
        }
        p += n;
    }
    flushWord(out, simple);
}

void BertPreTokenizer::flushWord(PreTokens &out, bool &simple) const
{
    std::string &word = out.word;
    if (word.empty()) {
        simple = true;
        return;
    }
    const bool wasSimple = simple;
    simple = true;
    if (!m_neverSplit.empty() && isNeverSplit(word)) {
        pushWhole(word, out);
        word.clear();
        return;
    }
    std::string_view normalized = word;
    if (!wasSimple) {
        normalize(word, out.normalized);
        normalized = out.normalized;
    } else if (m_options.lowerCase) {
        for (char &c : word)
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
    }
    // transformers checks never_split again after lowercasing, inside _run_split_on_punc.
    if (!normalized.empty() && !m_neverSplit.empty() && isNeverSplit(normalized))
        pushWhole(normalized, out);
    else
        splitPunctuation(normalized, out);
    word.clear();
}

void BertPreTokenizer::pushWhole(std::string_view word, PreTokens &out) const
{
    std::uint32_t chars = 0;
    for (char c : word)
        chars += !utf8::isContinuation(static_cast<unsigned char>(c));
    out.pieces.push_back({ static_cast<std::uint32_t>(out.bytes.size()),
        static_cast<std::uint32_t>(word.size()), chars, true });
    out.bytes.append(word);
}

// Python: NFC (transformers normalizes the whole text before splitting; per word is the same
// because whitespace never composes), str.lower(), then NFD and drop Mn. Fast: NFD and drop Mn,
// then lowercase.
void BertPreTokenizer::normalize(const std::string &word, std::string &out) const
{
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(word));
    const auto stripAccents = [&] {
        icu::UnicodeString decomposed = nfd().normalize(text, status);
        text.remove();
        for (int32_t i = 0; i < decomposed.length();) {
            const UChar32 c = decomposed.char32At(i);
            if (u_charType(c) != U_NON_SPACING_MARK)
                text.append(c);
            i += U16_LENGTH(c);
        }
    };
    if (m_options.nfc)
        text = nfc().normalize(text, status);
    if (m_options.stripAccents && !m_options.nfc)
        stripAccents();
    if (m_options.lowerCase)
        text.toLower(icu::Locale::getRoot()); // full mapping + Final_Sigma, like str.lower()
    if (m_options.stripAccents && m_options.nfc)
        stripAccents();
    out.clear();
    if (U_FAILURE(status)) // cannot happen for well-formed input; keep the word unnormalized
        out = word;
    else
        text.toUTF8String(out);
}

void BertPreTokenizer::splitPunctuation(std::string_view word, PreTokens &out) const
{
    std::string &bytes = out.bytes;
    auto start = static_cast<std::uint32_t>(bytes.size());
    std::uint32_t chars = 0;
    auto closePiece = [&] {
        const auto now = static_cast<std::uint32_t>(bytes.size());
        if (now > start)
            out.pieces.push_back({ start, now - start, chars, false });
        start = now;
        chars = 0;
    };
    const char *p = word.data();
    const char *const end = p + word.size();
    while (p < end) {
        const auto b = static_cast<unsigned char>(*p);
        std::size_t n = 1;
        std::uint8_t flags = 0;
        if (b < 0x80) {
            flags = isAsciiPunctuation(b) ? kPunct : 0;
        } else {
            char32_t cp;
            n = utf8::decode(p, end, cp);
            flags = flagsOf(cp);
        }
        if (flags & (kSpace | kDrop)) {
            closePiece();
        } else if (flags & kPunct) {
            closePiece();
            bytes.append(p, n);
            chars = 1;
            closePiece();
        } else {
            bytes.append(p, n);
            ++chars;
        }
        p += n;
    }
    closePiece();
}

} // namespace chatbench
