#pragma once
// A small finished run trained in-process (2 epochs of a 2-layer, 64-wide GPT-2 over the
// fixture vocabulary, about a second): real metrics.jsonl with epoch and valid events and real
// checkpoints, for the tests of what reads run folders (the report, the GUI's open paths).

#include "chatbench/run_config.h"
#include "chatbench/trainer.h"
#include "common/training_corpus.h"

#include <filesystem>
#include <string>

namespace chatbench::test {

inline RunConfig smallRunConfig(
    const std::string &name, const std::filesystem::path &corpus, std::uint64_t seed)
{
    RunConfig c;
    c.name = name;
    c.corpus = corpus.string();
    c.tokenizer = tinyGpt2Dir().string();
    c.preset = "tiny";
    c.nLayer = 2;
    c.nHead = 2;
    c.nEmbd = 64;
    c.nPositions = 64;
    c.maxLen = 64;
    c.epochs = 2;
    c.batchSize = 4;
    c.gradAccum = 1;
    c.lr = 0.002;
    c.warmupSteps = 2;
    c.validCount = 4;
    c.threads = 1;
    c.seed = seed;
    return c;
}

// Trains the run to its end in dir; returns dir.
inline std::filesystem::path trainSmallRun(const std::filesystem::path &dir,
    const std::string &name, const std::filesystem::path &corpus, std::uint64_t seed)
{
    Trainer::create(smallRunConfig(name, corpus, seed), dir)->run();
    return dir;
}

} // namespace chatbench::test
