#pragma once
// Learning rate as a pure function of the optimizer step, as transformers' schedulers compute it:
// linear warm-up from 0 to the peak over warmupSteps, then linear decay to 0 at totalSteps
// (get_linear_schedule_with_warmup, GPT2-chitchat's choice) or half a cosine
// (get_cosine_schedule_with_warmup). step counts from 0 (the first update uses step 0).

#include "chatbench/run_config.h"

#include <cstdint>

namespace chatbench {

struct LrSchedule
{
    double peak = 2.6e-5; // GPT2-chitchat's default learning rate
    std::int64_t warmupSteps = 4000;
    std::int64_t totalSteps = 0;
    Schedule decay = Schedule::Linear;

    double at(std::int64_t step) const;
};

} // namespace chatbench
