#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace chatbench {

double LrSchedule::at(std::int64_t step) const
{
    if (step < warmupSteps)
        return peak * double(step) / double(std::max<std::int64_t>(1, warmupSteps));
    if (decay == Schedule::Constant)
        return peak;
    const double progress
        = double(step - warmupSteps) / double(std::max<std::int64_t>(1, totalSteps - warmupSteps));
    if (decay == Schedule::Linear)
        return peak * std::max(0.0, 1.0 - progress);
    return peak * std::max(0.0, 0.5 * (1.0 + std::cos(M_PI * std::min(progress, 1.0))));
}

} // namespace chatbench
