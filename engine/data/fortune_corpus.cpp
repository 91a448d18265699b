#include "chatbench/fortune_corpus.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"

#include <sstream>

namespace fs = std::filesystem;

namespace chatbench {

std::vector<fs::path> installedFortuneFiles()
{
    std::vector<fs::path> out;
    for (const char *name : { "chinese", "tang300", "song100" }) {
        fs::path p = fs::path("/usr/share/games/fortunes") / name;
        if (fs::is_regular_file(p))
            out.push_back(p);
    }
    return out;
}

namespace {

// ESC [ ... final byte (0x40..0x7E): SGR colours and the like.
std::string stripEscapes(const std::string &s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\x1b') {
            if (i + 1 < s.size() && s[i + 1] == '[') {
                i += 2;
                while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7E))
                    ++i;
            }
            continue;
        }
        out += s[i];
    }
    return out;
}

// U+2500..U+259F (box drawing, block elements) are E2 94 80 .. E2 96 9F in UTF-8.
std::string stripBoxDrawing(const std::string &s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
        if (b(i) == 0xE2 && i + 2 < s.size() && b(i + 1) >= 0x94 && b(i + 1) <= 0x96) {
            i += 2;
            continue;
        }
        out += s[i];
    }
    return out;
}

bool isAttribution(const std::string &line)
{
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos)
        return false;
    return line.compare(i, 2, "--") == 0 || line.compare(i, 6, "\xE2\x80\x94\xE2\x80\x94") == 0;
}

} // namespace

std::vector<std::string> cleanFortuneEntry(const std::string &entry, std::uint64_t *attributions)
{
    std::vector<std::string> out;
    std::istringstream in(entry);
    for (std::string line; std::getline(in, line);) {
        line = stripBoxDrawing(stripEscapes(line));
        if (isAttribution(line)) {
            if (attributions)
                ++*attributions;
            continue;
        }
        line = cleanWhitespace(line);
        if (!line.empty())
            out.push_back(line);
    }
    return out;
}

FortuneCorpusStats writeFortuneCorpus(
    const std::vector<fs::path> &files, const fs::path &out, const NormalizeOptions &normalize)
{
    TextNormalizer normalizer(normalize);
    FortuneCorpusStats stats;
    std::string text;
    for (const auto &file : files) {
        std::istringstream in(readSmallFile(file));
        std::string entry;
        auto flush = [&] {
            if (entry.empty())
                return;
            auto lines = cleanFortuneEntry(entry, &stats.attributionLines);
            entry.clear();
            if (lines.empty()) {
                ++stats.emptyEntries;
                return;
            }
            normalizer.normalizeEach(lines);
            for (const auto &l : lines)
                text += l + "\n";
            text += "\n";
            ++stats.entries;
            stats.lines += lines.size();
        };
        for (std::string line; std::getline(in, line);) {
            if (line == "%")
                flush();
            else
                entry += line + "\n";
        }
        flush();
    }
    if (stats.entries == 0)
        throw Error("fortunes-zh: no usable text in " + std::to_string(files.size())
            + " file(s); is the package installed (packaging/setup-deps.sh)?");
    stats.bytes = text.size();
    writeFileAtomically(out, text);
    return stats;
}

} // namespace chatbench
