#pragma once
// What would stop a run at set-up, found before it is created: the corpus's format, the
// tokenizer and the pretrained model loading, data.max_len against the model's positions and the
// tokenizer against the model's vocabulary. The checks are the trainer's own (the same messages),
// run over the small files only (config.json, the vocabulary, the corpus's first bytes), so a
// dialog can run them as the user types. Repo ids are looked up in the Hugging Face cache; nothing
// is downloaded. Torch-free.

#include "chatbench/hub.h"
#include "chatbench/run_config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chatbench {

struct RunProblem
{
    std::string field; // run.json's key: "data.corpus", "tokenizer.path", "model.init", ...
    std::string message; // what is wrong, naming the file
};

// The pretrained model's sizes, for "the same size as the pretrained model".
struct ModelShape
{
    std::int64_t nLayer = 0, nHead = 0, nEmbd = 0, nPositions = 0, vocabSize = 0;
};

// Every problem found, in field order; empty when the run can start. Validates config
// (RunConfig::validate) first.
std::vector<RunProblem> checkRunConfig(const RunConfig &config, const HubSettings &hub);

// The sizes in a pretrained model folder's (or cached repo id's) config.json; none when it cannot
// be read (checkRunConfig says why).
std::optional<ModelShape> pretrainedShape(const std::string &location, const HubSettings &hub);

} // namespace chatbench
