#pragma once
// Trains one run (run_config.h) in its run folder (run_directory.h), one optimizer step per
// step() call, so a caller can interleave several runs, answer chat requests between steps, or
// stop at any step boundary. Every event goes to metrics.jsonl and to the callback.
//
// Semantics follow GPT2-chitchat: a step is gradAccum micro-batches (fewer at an epoch's end),
// each loss divided by the micro-batch count before backward; one clip per step; the learning
// rate is a function of the step (lr_schedule.h). The epoch's training loss is the mean of its
// micro-batch losses and its accuracy is micro-averaged over tokens. Validation loss is the
// token-weighted mean NLL, perplexity its exp. A non-finite loss or gradient skips the step
// (logged); maxNanSteps in a row fail the run, leaving the last good checkpoint as it was.
//
// Resuming loads the latest checkpoint (model, optimizer, schedule, RNG, data position, epoch
// sums) and rewinds metrics.jsonl to that point, so the curve continues exactly as an
// uninterrupted run would have drawn it. Not thread-safe except pause()/stop(), which may be
// called from any thread.

#include "chatbench/hub.h"
#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "chatbench/run_state.h"
#include "chatbench/training_event.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>

namespace chatbench {

class LanguageModel;
class Tokenizer;

// This process's part in data-parallel training. A front end fills it (chatbench-cli train
// from the variables torchrun and Slurm set: WORLD_SIZE, RANK, LOCAL_RANK, MASTER_ADDR,
// MASTER_PORT); the engine reads no environment for it.
struct DistributedOptions
{
    int worldSize = 1; // 1: this process trains alone
    int rank = 0; // 0 writes the run folder; the others read what it prepares
    int localRank = 0; // which of this machine's GPUs "cuda" means
    std::string masterAddress = "127.0.0.1";
    int masterPort = 29500;
    int timeoutSeconds = 120; // a rendezvous or collective that takes longer fails the run
};

// Faults the reliability tests inject; none by default.
struct FaultInjection
{
    std::set<std::int64_t> nanAttempts; // step attempts (from 1, this process) whose loss is NaN
    int exitRank = -1; // this data-parallel rank dies (_Exit) at its exitAttempt-th step attempt
    std::int64_t exitAttempt = -1;
};

struct TrainerOptions
{
    DistributedOptions distributed;
    FaultInjection faults;
    // Where run.json's repo ids (model.init, tokenizer.path) are looked up: the Hub cache.
    // Front ends fill it with hubSettingsFromEnvironment().
    HubSettings hub;
};

using TrainingCallback = std::function<void(const TrainingEvent &)>;

class Trainer
{
public:
    // A new run: creates the folder and run.json (refuses a folder that holds a run).
    // Data-parallel workers other than rank 0 read the folder rank 0 creates. A repo id in
    // model.init or tokenizer.path must be in the Hub cache (chatbench::Error naming the
    // download command otherwise) and is recorded pinned to its commit.
    static std::unique_ptr<Trainer> create(const RunConfig &config,
        const std::filesystem::path &runDir, const TrainerOptions &options = {});
    // Continues a run from its latest checkpoint (or from the start when it has none).
    static std::unique_ptr<Trainer> resume(
        const std::filesystem::path &runDir, const TrainerOptions &options = {});
    ~Trainer();

    void setCallback(TrainingCallback callback);
    // Trains on another device or in another precision than run.json says (a run resumed on a
    // GPU server, say); before setUp(). run.json keeps its own. Throws chatbench::Error for a
    // name that is not a device; a missing device fails in setUp().
    void overrideDevice(const std::string &device, Precision precision);

    // Loads the tokenizer, prepares the data and builds the model; step() does it on first use.
    // Slow (seconds): call it on the engine thread. Throws chatbench::Error.
    void setUp();
    // One optimizer step (plus validation / checkpoint / epoch events when due). Returns false
    // once the run is finished, stopped, failed or paused. Throws chatbench::Error for I/O
    // failures, after logging a "failed" event.
    bool step();
    // Runs step() until it returns false.
    void run();

    // A checkpoint of the current state now (the trainer does this on its schedule too).
    std::filesystem::path saveCheckpoint();

    // A copy of the model's weights now, in eval mode (null before setUp() built the model),
    // and the tokenizer it trains with: chatting with a run between its steps needs no
    // checkpoint (model_source.h, openCurrentWeights).
    std::shared_ptr<const LanguageModel> snapshotModel() const;
    std::shared_ptr<const Tokenizer> tokenizer() const;

    void pause() { m_pauseRequested = true; }
    void unpause(); // resumes a paused run
    // Asks the run to stop at the next step boundary, with a checkpoint.
    void stop() { m_stopRequested = true; }

    RunState state() const;
    // Whether step() would do something now (not finished, failed, stopped or held paused).
    bool canStep() const;
    const RunConfig &config() const;
    const RunDirectory &directory() const;
    std::int64_t currentStep() const;
    std::int64_t totalSteps() const; // planned optimizer steps (after setUp)
    // The latest event of each kind the run produced.
    const TrainingEvent *lastEvent(EventKind kind) const;

private:
    struct Impl;
    explicit Trainer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
    std::atomic<bool> m_pauseRequested { false };
    std::atomic<bool> m_stopRequested { false };
};

} // namespace chatbench
