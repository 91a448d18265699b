#include "model/lm_loss.h"

#include "model/fused_ops.h"

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

LmLoss causalLmLossFromHidden(const torch::Tensor &hidden, const torch::Tensor &labels,
    const torch::Tensor &vocabProjection, std::int64_t ignoreIndex)
{
    const auto T = hidden.size(1), C = hidden.size(2);
    LmLoss out;
    if (T < 2) {
        out.loss = torch::full({}, std::numeric_limits<float>::quiet_NaN(), hidden.options());
        return out;
    }
    auto targets = labels.narrow(1, 1, T - 1).reshape({ -1 });
    auto rows = targets.ne(ignoreIndex).nonzero().squeeze(1);
    out.nCounted = rows.numel();
    if (out.nCounted == 0) {
        out.loss = torch::full({}, std::numeric_limits<float>::quiet_NaN(), hidden.options());
        return out;
    }
    targets = targets.index_select(0, rows);
    auto selected = hidden.narrow(1, 0, T - 1).reshape({ -1, C }).index_select(0, rows);
    // Under bf16 autocast the projection runs in bfloat16; the softmax and the loss over the
    // vocabulary stay float32, where bf16's 8-bit mantissa would blur the probabilities.
    auto logits = torch::mm(selected, vocabProjection.t()).to(torch::kFloat32); // (counted, V)
    CrossEntropy ce = softmaxCrossEntropy(logits, targets);
    out.loss = ce.loss;
    out.nCorrect = ce.argmax.eq(targets).sum().item<std::int64_t>();
    return out;
}

} // namespace chatbench
