#pragma once
// Where a run stands, as the trainer, the run list and the monitor see it.

namespace chatbench {

enum class RunState {
    Idle, // not training (never started here, or a run whose writer is unknown)
    Running,
    Paused,
    Finished,
    Stopped,
    Failed,
    External, // another process (chatbench-cli train, another machine) is writing it
};
const char *toString(RunState state); // "idle", "running", ..., "external"
// Whether training may (re)start from the latest checkpoint: idle, stopped or failed.
bool canStart(RunState state);

} // namespace chatbench
