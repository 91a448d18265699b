#pragma once
// Where a run stands between optimizer steps: everything besides the weights and the optimizer
// moments that a resumed run needs to continue exactly (checkpoints/step-N/trainer_state.json).
// Internal to the engine.

#include "data/batcher.h"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

namespace chatbench {

struct TrainerProgress
{
    std::int64_t step = 0; // optimizer steps done
    BatchPosition position; // the next micro-batch
    std::uint64_t tokens = 0;
    double time = 0;
    std::string rngState; // torch's CPU generator state, hex
    std::uint64_t dataKey = 0; // the token cache's key: the data must not change under a run
    int nanStreak = 0;
    std::int64_t bestStep = -1;
    double bestValidLoss = std::numeric_limits<double>::infinity();
    std::int64_t lastValidStep = -1;
    // The current epoch's sums, so its summary after a resume equals an uninterrupted one.
    double epochLossSum = 0;
    std::uint64_t epochBatches = 0, epochCorrect = 0, epochCounted = 0;
    std::uint64_t metricsSize = 0; // bytes of metrics.jsonl that belong before this state
    // The same for probes.jsonl; a checkpoint from before probes existed keeps the whole file.
    std::uint64_t probesSize = std::numeric_limits<std::uint64_t>::max();

    std::string toJsonText() const;
    static TrainerProgress fromJsonFile(const std::filesystem::path &file);
};

} // namespace chatbench
