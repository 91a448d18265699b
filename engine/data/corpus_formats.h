#pragma once
// The per-format readers behind readCorpus(); each walks the mapped bytes of one file.

#include "chatbench/corpus_reader.h"

#include <filesystem>
#include <string_view>

namespace chatbench {

struct CorpusSource
{
    std::filesystem::path file;
    std::string_view bytes; // after any UTF-8 byte order mark
    std::uint64_t bomBytes = 0; // added back to reported offsets
    const CorpusReadOptions &options;
    bool joinSpacedCjk;
    CorpusReadSummary &summary;
    const DialogueVisitor &visit;
};

void readChitchat(CorpusSource &source);
void readJsonl(CorpusSource &source);
void readLccc(CorpusSource &source);

// Calls f(line, lineNumber, offset) for every line ("\n" or "\r\n" stripped).
template<typename F>
void forEachLine(std::string_view bytes, std::uint64_t baseOffset, F &&f)
{
    std::uint64_t number = 0;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        std::size_t nl = bytes.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = bytes.size();
        std::string_view line = bytes.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        f(line, ++number, baseOffset + pos);
        pos = nl + 1;
    }
}

} // namespace chatbench
