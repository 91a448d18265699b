#pragma once
// The built-in demo of the reference experiment, scaled to minutes on a laptop: a small GPT-2
// "base" pretrained on fortunes-zh (converted to Traditional Chinese; it stands in for
// ckiplab/gpt2-base-chinese, which cannot be downloaded here), then three runs on the demo
// dialogue corpus with one shared tokenizer: from scratch, fine-tuned from the base, and GPT-2 +
// Transformer. The base model is cached (keyed by its data, tokenizer and settings) and reused.
// `chatbench-cli demo` and `chatbench --demo` both start from prepareDemo().

#include "chatbench/fortune_corpus.h"
#include "chatbench/run_config.h"
#include "chatbench/trainer.h"

#include <filesystem>
#include <string>
#include <vector>

namespace chatbench {

struct DemoOptions
{
    std::filesystem::path workspace; // runs/, data/, tokenizer/, transcripts/, report/
    std::filesystem::path dialogues; // empty: defaultDemoDialogues()
    std::filesystem::path cacheDir; // the cached base; empty: $XDG_CACHE_HOME or ~/.cache
    int threads = 0;
    // Multiplies every step and epoch count; tests use a small fraction.
    double scale = 1.0;
};

struct DemoPlan
{
    std::filesystem::path fortuneCorpus, tokenizerDir, baseCheckpoint;
    FortuneCorpusStats fortunes;
    std::uint64_t dialogues = 0, dialogueUtterances = 0;
    bool baseFromCache = false;
    std::vector<RunConfig> runs; // scratch, fine-tuned, GPT-2 + Transformer
    std::vector<std::filesystem::path> runDirs;
};

// The demo dialogues installed with ChatBench (PREFIX/share/chatbench/demo/dialogues.txt,
// beside the running executable), else the source tree's resources/demo/dialogues.txt.
std::filesystem::path defaultDemoDialogues();

// Writes the cleaned corpora and the shared tokenizer into the workspace and makes sure the
// base model exists (training it on the calling thread when it is not cached; its events go
// to onBaseEvent). Throws chatbench::Error.
DemoPlan prepareDemo(const DemoOptions &options, const TrainingCallback &onBaseEvent = {});

} // namespace chatbench
