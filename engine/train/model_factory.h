#pragma once
// Turns a RunConfig into the tokenizer and the model a run trains: scratch from a size preset,
// fine-tuned from a Hugging Face checkpoint, or reloaded from one of the run's own checkpoints.
// Internal to the engine.

#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "chatbench/tokenizer.h"
#include "train/trainable_model.h"

#include <memory>

namespace chatbench {

// The run's tokenizer: a resumed run's checkpoint copy; else run.json's tokenizer path; else
// the init checkpoint's; else (from scratch) a WordPiece vocabulary built from the corpus once
// and kept in RUNDIR/tokenizer.
std::unique_ptr<Tokenizer> resolveTokenizer(
    const RunConfig &config, const RunDirectory &dir, const std::filesystem::path *checkpoint);

// The model to train; from checkpoint when resuming. Throws chatbench::Error when the tokenizer
// does not fit the model (vocabulary larger than the embedding) or max_len exceeds the context.
std::unique_ptr<TrainableModel> buildTrainableModel(
    const RunConfig &config, const Tokenizer &tokenizer, const std::filesystem::path *checkpoint);

} // namespace chatbench
