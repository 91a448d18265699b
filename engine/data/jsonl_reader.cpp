// JSON Lines: one dialogue per line, ["u1", "u2", ...] or {"dialog": ["u1", ...]}.

#include "data/corpus_formats.h"
#include "data/text_repair.h"

#include <nlohmann/json.hpp>

namespace chatbench {

void readJsonl(CorpusSource &source)
{
    std::string repaired;
    forEachLine(source.bytes, source.bomBytes,
        [&](std::string_view line, std::uint64_t number, std::uint64_t offset) {
            if (line.find_first_not_of(" \t") == std::string_view::npos)
                return;
            auto &problems = source.summary.problems;
            const SourceLocation where { number, offset };
            if (line.size() > source.options.maxLineBytes) {
                problems.add(
                    CorpusProblem::LineTooLong, where, std::to_string(line.size()) + " bytes");
                return;
            }
            repairText(line, where, repaired, problems);
            nlohmann::json value;
            try {
                value = nlohmann::json::parse(repaired);
            } catch (const nlohmann::json::parse_error &e) {
                problems.add(CorpusProblem::SyntaxError, where,
                    "column " + std::to_string(e.byte) + ": "
                        + std::string(e.what()).substr(std::string(e.what()).find(' ') + 1));
                return;
            } catch (const nlohmann::json::out_of_range &e) {
                // A number beyond double's range ("1e999"): no position from nlohmann.
                problems.add(CorpusProblem::SyntaxError, where,
                    std::string(e.what()).substr(std::string(e.what()).find(' ') + 1));
                return;
            }
            const nlohmann::json *list = &value;
            if (value.is_object() && value.contains("dialog"))
                list = &value["dialog"];
            if (!list->is_array()) {
                problems.add(CorpusProblem::NotADialogue, where,
                    "expected a list of strings or {\"dialog\": [...]}");
                return;
            }
            Dialogue dialogue;
            dialogue.where = where;
            for (const auto &item : *list) {
                if (!item.is_string()) {
                    problems.add(CorpusProblem::NotADialogue, where,
                        std::string("an utterance is a ") + item.type_name() + ", not a string");
                    return;
                }
                const auto &text = item.get_ref<const std::string &>();
                dialogue.utterances.push_back(source.joinSpacedCjk ? joinSpacedCjk(text) : text);
            }
            if (dialogue.utterances.empty()) {
                problems.add(CorpusProblem::NotADialogue, where, "empty list");
                return;
            }
            ++source.summary.dialogues;
            source.visit(std::move(dialogue));
        });
}

} // namespace chatbench
