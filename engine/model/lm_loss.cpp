#include "model/lm_loss.h"

#include <ATen/ATen.h>

namespace chatbench {

LmLoss causalLmLoss(
    const torch::Tensor &logits, const torch::Tensor &labels, std::int64_t ignoreIndex)
{
    const auto T = logits.size(1);
    LmLoss out;
    if (T < 2) {
        out.loss = torch::full({}, std::numeric_limits<float>::quiet_NaN(), logits.options());
        return out;
    }
    auto shiftLogits = logits.narrow(1, 0, T - 1).reshape({ -1, logits.size(-1) });
    auto shiftLabels = labels.narrow(1, 1, T - 1).reshape({ -1 });
    out.loss = at::cross_entropy_loss(
        shiftLogits, shiftLabels, /*weight=*/ {}, at::Reduction::Mean, ignoreIndex);
    {
        torch::NoGradGuard noGrad;
        auto counted = shiftLabels.ne(ignoreIndex);
        out.nCounted = counted.sum().item<std::int64_t>();
        out.nCorrect = shiftLogits.argmax(-1)
                           .eq(shiftLabels)
                           .logical_and(counted)
                           .sum()
                           .item<std::int64_t>();
    }
    return out;
}

} // namespace chatbench
