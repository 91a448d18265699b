#pragma once
// A model comparison as it is saved and exported: the models (name, checkpoint folder, step),
// the dialogues with their references, every model's reply, the named metrics and the blind
// A/B votes (which model was shown on which side, and the verdict). Written as JSON (the whole
// record, for tools), Markdown (for a report) or CSV (RFC 4180, one row per dialogue, for a
// spreadsheet). Torch-free.

#include "chatbench/pairwise_votes.h"
#include "chatbench/prompt_set.h"
#include "chatbench/text_metrics.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace chatbench {

struct ComparedModel
{
    std::string name;
    std::string checkpoint; // the folder its weights came from; empty when unknown
    std::int64_t step = -1; // the run's step; -1 for a model folder (no step)
    std::string settings; // its sampling settings (describeSampling); empty when unknown
};

// "name · step-108", or the name alone when there is no step: what a column header shows.
std::string modelLabel(const ComparedModel &model);

struct ComparisonRecord
{
    std::vector<ComparedModel> models;
    std::vector<PromptDialogue> dialogues;
    // [dialogue][model]; nullopt where the comparison was cancelled before that reply.
    std::vector<std::vector<std::optional<std::string>>> replies;
    // Per model, over its replies; nullopt until computed. BLEU is NaN without references.
    std::vector<std::optional<TextMetrics>> metrics;
    bool blind = false; // judged blind A/B
    std::uint64_t judgingSeed = 0; // the seed of the left/right order
    std::vector<PairVote> votes;
};

std::string comparisonToJson(const ComparisonRecord &record);
// Throws chatbench::Error "ORIGIN: ..." for JSON that is no comparison record.
ComparisonRecord comparisonFromJson(const std::string &text, const std::string &origin);
std::string comparisonToMarkdown(const ComparisonRecord &record);
std::string comparisonToCsv(const ComparisonRecord &record);

enum class ComparisonFormat { Json, Markdown, Csv };
// By the extension: .json, .csv, anything else Markdown.
ComparisonFormat comparisonFormatOf(const std::filesystem::path &file);
// Written atomically (chatbench/atomic_file.h); throws chatbench::Error naming the file.
void writeComparison(
    const std::filesystem::path &file, const ComparisonRecord &record, ComparisonFormat format);

} // namespace chatbench
