#include "chatbench/run_state.h"

#include "io/enum_names.h"

namespace chatbench {

namespace {

constexpr EnumName<RunState> runStates[] = {
    { RunState::Idle, "idle" },
    { RunState::Running, "running" },
    { RunState::Paused, "paused" },
    { RunState::Finished, "finished" },
    { RunState::Stopped, "stopped" },
    { RunState::Failed, "failed" },
    { RunState::External, "external" },
};

} // namespace

const char *toString(RunState state)
{
    return enumName(runStates, state);
}

bool canStart(RunState state)
{
    return state == RunState::Idle || state == RunState::Stopped || state == RunState::Failed;
}

} // namespace chatbench
