// GPT2-chitchat's text format: one utterance per line, a blank line between dialogues.

#include "data/corpus_formats.h"
#include "data/text_repair.h"

namespace chatbench {
namespace {

bool isBlank(std::string_view line)
{
    return line.find_first_not_of(" \t\v\f") == std::string_view::npos;
}

} // namespace

void readChitchat(CorpusSource &source)
{
    Dialogue dialogue;
    bool rejected = false;
    auto flush = [&] {
        if (!dialogue.utterances.empty() && !rejected) {
            ++source.summary.dialogues;
            source.visit(std::move(dialogue));
        }
        dialogue = {};
        rejected = false;
    };
    std::string repaired;
    forEachLine(source.bytes, source.bomBytes,
        [&](std::string_view line, std::uint64_t number, std::uint64_t offset) {
            if (isBlank(line)) {
                flush();
                return;
            }
            const SourceLocation where { number, offset };
            if (dialogue.utterances.empty() && !rejected)
                dialogue.where = where;
            if (line.size() > source.options.maxLineBytes) {
                source.summary.problems.add(
                    CorpusProblem::LineTooLong, where, std::to_string(line.size()) + " bytes");
                rejected = true;
                return;
            }
            repairText(line, where, repaired, source.summary.problems);
            if (source.joinSpacedCjk)
                repaired = joinSpacedCjk(repaired);
            dialogue.utterances.push_back(repaired);
        });
    flush();
}

} // namespace chatbench
