#include "data/text_repair.h"

#include "tokenize/utf8.h"

namespace chatbench {

void repairText(std::string_view in, const SourceLocation &where, std::string &out, ProblemLog &log)
{
    out.clear();
    const char *begin = in.data(), *p = begin, *end = begin + in.size();
    const char *copied = begin; // bytes before this are already in out
    while (p < end) {
        const auto b = static_cast<unsigned char>(*p);
        if (b != 0 && b < 0x80) {
            ++p;
            continue;
        }
        SourceLocation at = where;
        at.offset += static_cast<std::uint64_t>(p - begin);
        if (b == 0) {
            out.append(copied, p);
            log.add(CorpusProblem::NulByte, at);
            copied = ++p;
            continue;
        }
        char32_t cp;
        const std::size_t n = utf8::decode(p, end, cp);
        if (cp == utf8::kReplacement && !(n == 3 && b == 0xEF)) {
            out.append(copied, p);
            utf8::append(out, utf8::kReplacement);
            log.add(CorpusProblem::InvalidUtf8, at);
            copied = p + n;
        }
        p += n;
    }
    out.append(copied, end);
}

bool isWideCodePoint(char32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF)
        || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
        || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

namespace {

char32_t lastCodePoint(const std::string &s)
{
    std::size_t i = s.size();
    while (i > 0 && utf8::isContinuation(static_cast<unsigned char>(s[i - 1])))
        --i;
    if (i == 0)
        return 0;
    char32_t cp;
    utf8::decode(s.data() + i - 1, s.data() + s.size(), cp);
    return cp;
}

} // namespace

std::string joinSpacedCjk(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    bool pendingSpace = false;
    while (i < text.size()) {
        if (text[i] == ' ') {
            pendingSpace = !out.empty();
            ++i;
            continue;
        }
        std::size_t j = text.find(' ', i);
        if (j == std::string_view::npos)
            j = text.size();
        if (pendingSpace) {
            char32_t next;
            utf8::decode(text.data() + i, text.data() + text.size(), next);
            if (!isWideCodePoint(lastCodePoint(out)) && !isWideCodePoint(next))
                out.push_back(' ');
            pendingSpace = false;
        }
        out.append(text.substr(i, j - i));
        i = j;
    }
    return out;
}

} // namespace chatbench
