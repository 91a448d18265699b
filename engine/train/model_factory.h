#pragma once
// Turns a RunConfig into the tokenizer and the model a run trains: scratch from a size preset,
// fine-tuned from a Hugging Face checkpoint, or reloaded from one of the run's own checkpoints.
// Internal to the engine.

#include "chatbench/gpt2_config.h"
#include "chatbench/run_check.h"
#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "chatbench/tokenizer.h"
#include "train/trainable_model.h"

#include <memory>
#include <vector>

namespace chatbench {

// The run's tokenizer: a resumed run's checkpoint copy; else run.json's tokenizer path; else
// the init checkpoint's; else (from scratch) a WordPiece vocabulary built from the corpus once
// and kept in RUNDIR/tokenizer.
std::unique_ptr<Tokenizer> resolveTokenizer(
    const RunConfig &config, const RunDirectory &dir, const std::filesystem::path *checkpoint);

// The GPT-2 configuration a fresh run builds (its decoder, for gpt2+transformer): the init
// checkpoint's config.json, or the preset with run.json's sizes over the tokenizer. Throws
// chatbench::Error for an unreadable config.json or inconsistent sizes.
Gpt2Config plannedGpt2Config(const RunConfig &config, const Tokenizer &tokenizer);
// Whether the tokenizer's vocabulary fits the model's and data.max_len its positions.
std::vector<RunProblem> fitProblems(
    const RunConfig &config, const Tokenizer &tokenizer, const Gpt2Config &model);
// Throws chatbench::Error "ORIGIN: ..." with fitProblems' first.
void checkFits(const RunConfig &config, const Tokenizer &tokenizer, const Gpt2Config &model,
    const std::filesystem::path &origin);

// The model to train; from checkpoint when resuming. Throws chatbench::Error when the tokenizer
// does not fit the model (vocabulary larger than the embedding) or max_len exceeds the context.
std::unique_ptr<TrainableModel> buildTrainableModel(
    const RunConfig &config, const Tokenizer &tokenizer, const std::filesystem::path *checkpoint);

} // namespace chatbench
