#include "chatbench/text_normalizer.h"

#include "data/script_converter.h"
#include "tokenize/utf8.h"

#include <optional>

namespace chatbench {
namespace {

bool isSpace(char32_t cp)
{
    return cp <= 0x20 || cp == 0x7F || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool isZeroWidth(char32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200D) || cp == 0xFEFF;
}

bool isAsciiClean(std::string_view s)
{
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    return true;
}

} // namespace

std::string foldFullWidth(std::string_view utf8)
{
    std::string out;
    out.reserve(utf8.size());
    const char *p = utf8.data(), *end = p + utf8.size();
    while (p < end) {
        char32_t cp;
        const std::size_t n = utf8::decode(p, end, cp);
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            out.push_back(static_cast<char>(cp - 0xFF01 + 0x21));
        else if (cp == 0x3000)
            out.push_back(' ');
        else
            out.append(p, n);
        p += n;
    }
    return out;
}

std::string cleanWhitespace(std::string_view utf8)
{
    std::string out;
    out.reserve(utf8.size());
    bool pendingSpace = false;
    const bool ascii = isAsciiClean(utf8);
    const char *p = utf8.data(), *end = p + utf8.size();
    while (p < end) {
        char32_t cp;
        const std::size_t n
            = ascii ? (cp = static_cast<unsigned char>(*p), 1) : utf8::decode(p, end, cp);
        if (isSpace(cp)) {
            pendingSpace = !out.empty();
        } else if (!isZeroWidth(cp)) {
            if (pendingSpace)
                out.push_back(' ');
            pendingSpace = false;
            out.append(p, n);
        }
        p += n;
    }
    return out;
}

struct TextNormalizer::Impl
{
    std::optional<ScriptConverter> converter;
};

TextNormalizer::TextNormalizer(NormalizeOptions options)
    : m_options(std::move(options)), m_impl(std::make_unique<Impl>())
{
    if (!m_options.convert.empty())
        m_impl->converter.emplace(m_options.convert);
}

TextNormalizer::~TextNormalizer() = default;
TextNormalizer::TextNormalizer(TextNormalizer &&) noexcept = default;
TextNormalizer &TextNormalizer::operator=(TextNormalizer &&) noexcept = default;

std::string TextNormalizer::normalize(std::string_view utf8) const
{
    std::string text(utf8);
    if (m_options.foldFullWidth)
        text = foldFullWidth(text);
    if (m_impl->converter && !isAsciiClean(text))
        text = m_impl->converter->convert(text);
    if (m_options.cleanWhitespace)
        text = cleanWhitespace(text);
    return text;
}

void TextNormalizer::normalizeEach(std::vector<std::string> &texts) const
{
    if (m_options.foldFullWidth)
        for (auto &text : texts)
            text = foldFullWidth(text);
    if (m_impl->converter) {
        std::vector<std::size_t> where;
        std::vector<std::string> pending;
        for (std::size_t i = 0; i < texts.size(); ++i)
            if (!isAsciiClean(texts[i])) {
                where.push_back(i);
                pending.push_back(std::move(texts[i]));
            }
        m_impl->converter->convertEach(pending);
        for (std::size_t k = 0; k < where.size(); ++k)
            texts[where[k]] = std::move(pending[k]);
    }
    if (m_options.cleanWhitespace)
        for (auto &text : texts)
            text = cleanWhitespace(text);
}

} // namespace chatbench
