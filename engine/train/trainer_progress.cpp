#include "train/trainer_progress.h"

#include "chatbench/error.h"
#include "io/json_file.h"

#include <cmath>

namespace chatbench {

std::string TrainerProgress::toJsonText() const
{
    nlohmann::json j = { { "step", step }, { "epoch", position.epoch }, { "batch", position.batch },
        { "tokens", tokens }, { "time", time }, { "data_key", std::to_string(dataKey) },
        { "nan_streak", nanStreak }, { "best_step", bestStep },
        { "last_valid_step", lastValidStep }, { "epoch_loss_sum", epochLossSum },
        { "epoch_batches", epochBatches }, { "epoch_correct", epochCorrect },
        { "epoch_counted", epochCounted }, { "metrics_size", metricsSize },
        { "probes_size", probesSize }, { "rng_state", rngState } };
    if (std::isfinite(bestValidLoss))
        j["best_valid_loss"] = bestValidLoss;
    return j.dump(1) + "\n";
}

TrainerProgress TrainerProgress::fromJsonFile(const std::filesystem::path &file)
{
    auto j = readJsonFile(file);
    if (!j.is_object())
        throw Error::inFile(file, "expected a JSON object");
    for (const char *key : { "step", "epoch", "batch", "tokens", "data_key", "rng_state" })
        if (!j.contains(key))
            throw Error::inFile(file, std::string("'") + key + "' is missing");
    TrainerProgress p;
    p.step = jsonField<long>(j, "step", 0, file);
    p.position.epoch = std::uint64_t(jsonField<long>(j, "epoch", 0, file));
    p.position.batch = std::size_t(jsonField<long>(j, "batch", 0, file));
    p.tokens = std::uint64_t(jsonField<long>(j, "tokens", 0, file));
    p.time = jsonField<double>(j, "time", 0, file);
    try {
        p.dataKey = std::stoull(jsonField<std::string>(j, "data_key", "", file));
    } catch (const std::exception &) {
        throw Error::inFile(file, "'data_key': expected a decimal number in a string");
    }
    p.nanStreak = jsonField<int>(j, "nan_streak", 0, file);
    p.bestStep = jsonField<long>(j, "best_step", -1, file);
    p.bestValidLoss
        = jsonField<double>(j, "best_valid_loss", std::numeric_limits<double>::infinity(), file);
    p.lastValidStep = jsonField<long>(j, "last_valid_step", -1, file);
    p.epochLossSum = jsonField<double>(j, "epoch_loss_sum", 0, file);
    p.epochBatches = std::uint64_t(jsonField<long>(j, "epoch_batches", 0, file));
    p.epochCorrect = std::uint64_t(jsonField<long>(j, "epoch_correct", 0, file));
    p.epochCounted = std::uint64_t(jsonField<long>(j, "epoch_counted", 0, file));
    p.metricsSize = std::uint64_t(jsonField<long>(j, "metrics_size", 0, file));
    if (j.contains("probes_size"))
        p.probesSize = std::uint64_t(jsonField<long>(j, "probes_size", 0, file));
    p.rngState = jsonField<std::string>(j, "rng_state", "", file);
    if (p.step < 0 || p.rngState.size() % 2 != 0)
        throw Error::inFile(file, "inconsistent trainer state (step or rng_state)");
    return p;
}

} // namespace chatbench
