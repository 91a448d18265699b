#pragma once
// Opening a model to chat with or compare: a run folder at the checkpoint the user picks, a
// training run's current weights, or a Hugging Face checkpoint folder. The one way the CLI's
// chat, eval and report, the demo and the GUI's chat and comparison open models.

#include "chatbench/checkpoint_report.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace chatbench {

class LanguageModel;
class Tokenizer;
class Trainer;

// Which weights of a run folder.
struct CheckpointChoice
{
    enum class Kind {
        Latest,
        Best, // the best validation loss (checkpoints/index.json)
        Step, // checkpoints/step-N
        Current, // the weights a run training in this process holds now
    };
    Kind kind = Kind::Latest;
    std::int64_t step = 0; // Kind::Step

    static CheckpointChoice atStep(std::int64_t step) { return { Kind::Step, step }; }
    // "latest", "best", "current" or "step-N"; throws chatbench::Error naming the forms.
    static CheckpointChoice parse(std::string_view text);
    std::string toString() const;
    bool operator==(const CheckpointChoice &o) const
    {
        return kind == o.kind && (kind != Kind::Step || step == o.step);
    }
    bool operator!=(const CheckpointChoice &o) const { return !(*this == o); }
};

struct OpenedModel
{
    std::shared_ptr<const LanguageModel> model;
    std::shared_ptr<const Tokenizer> tokenizer;
    // The checkpoint folder read (for current weights: the run folder).
    std::filesystem::path folder;
    std::optional<std::int64_t> step; // the run's step; none for a plain model folder
    CheckpointReport report; // what loading found (legacy buffers, warnings)
};

// source: a run folder (it has run.json) opens at choice (Current falls back to Latest: only
// openCurrentWeights has a trainer's weights); any other folder must be a Hugging Face
// checkpoint folder (config.json and weights), and choice must be Latest. device: where the
// model computes (chatbench/device.h). Throws chatbench::Error naming the folder and what is
// missing: no checkpoint of that kind yet, no such step (with the steps kept), no config.json.
OpenedModel openModel(const std::filesystem::path &source, const CheckpointChoice &choice = {},
    const std::string &device = "cpu");
// The checkpoint folder openModel would read, and the run's step (none for a model folder),
// without loading it; the same errors.
std::filesystem::path checkpointFolder(const std::filesystem::path &source,
    const CheckpointChoice &choice = {}, std::optional<std::int64_t> *step = nullptr);

// A copy of the weights a trainer holds now, with its tokenizer: training goes on without
// touching the copy, and nothing is written to disk. Call between two of its steps, on its
// thread. Throws chatbench::Error when the trainer has not built its model (not set up).
OpenedModel openCurrentWeights(const Trainer &trainer);

} // namespace chatbench
