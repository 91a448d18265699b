#pragma once
// Several runs trained in one process by interleaving their optimizer steps (round-robin), so
// their curves advance together: what the GUI's engine thread drives between chat requests and
// what `chatbench-cli demo` uses. Each run keeps its own RNG stream (trainer.h), so a run's
// curve is the same whether it trains alone or beside others.

#include "chatbench/trainer.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace chatbench {

class TrainingScheduler
{
public:
    // Takes the run: one trainer per run folder (chatbench::Error for a second one).
    Trainer &add(std::unique_ptr<Trainer> trainer);
    Trainer *find(const std::filesystem::path &runDir) const;
    // Gives the run's trainer back (null when it is not here), so a stopped or failed run frees
    // its model and data, and a run started again is added anew. The others keep their turns.
    std::unique_ptr<Trainer> remove(const std::filesystem::path &runDir);
    std::vector<Trainer *> runs() const;

    // One step of the next run that can step. A run whose step throws has already logged a
    // "failed" event and is left out from then on; the error is not rethrown, so one broken run
    // never takes the others down. Returns false when no run can step.
    bool tick();
    // tick() until no run can step.
    void runAll();

private:
    std::vector<std::unique_ptr<Trainer>> m_runs;
    std::size_t m_next = 0;
};

} // namespace chatbench
