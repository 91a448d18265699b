#include "generate/logits_processors.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace chatbench {
namespace {

constexpr float kBanned = -std::numeric_limits<float>::infinity();

float *values(torch::Tensor &logits)
{
    TORCH_CHECK(
        logits.dim() == 1 && logits.scalar_type() == torch::kFloat && logits.is_contiguous(),
        "logits must be a contiguous 1-D float32 tensor");
    return logits.data_ptr<float>();
}

} // namespace

void applyRepetitionPenalty(
    torch::Tensor &logits, const std::vector<std::int64_t> &context, double penalty)
{
    if (penalty == 1.0)
        return;
    float *v = values(logits);
    // Each seen id once, however often it occurs: transformers gathers then scatters.
    std::vector<bool> seen(std::size_t(logits.size(0)), false);
    for (const std::int64_t id : context) {
        if (seen[std::size_t(id)])
            continue;
        seen[std::size_t(id)] = true;
        float &x = v[id];
        x = x < 0 ? x * float(penalty) : x / float(penalty); // float32, as torch computes it
    }
}

void banRepeatedNgrams(torch::Tensor &logits, const std::vector<std::int64_t> &context, int n)
{
    const std::size_t len = context.size(), prefix = std::size_t(n) - 1;
    if (n <= 0 || len + 1 < std::size_t(n))
        return;
    float *v = values(logits);
    // The last n-1 tokens followed by t would repeat every n-gram whose first n-1 tokens equal
    // them; that n-gram's last token is t.
    const auto tail = context.end() - std::ptrdiff_t(prefix);
    for (std::size_t start = 0; start + std::size_t(n) <= len; ++start)
        if (std::equal(tail, context.end(), context.begin() + std::ptrdiff_t(start)))
            v[context[start + prefix]] = kBanned;
}

void banIds(torch::Tensor &logits, const std::vector<std::int32_t> &ids)
{
    float *v = values(logits);
    for (const std::int32_t id : ids)
        v[id] = kBanned;
}

void applyTemperature(torch::Tensor &logits, double temperature)
{
    if (temperature != 1.0)
        logits.div_(temperature);
}

void keepTopK(torch::Tensor &logits, int k)
{
    if (k <= 0 || k >= logits.size(0))
        return;
    // The k-th largest by nth_element over a copy: torch's topk + compare + masked_fill were
    // three dispatched ops and two allocations per token for the same threshold.
    float *v = values(logits);
    const auto n = std::size_t(logits.size(0));
    std::vector<float> copy(v, v + n);
    if (std::any_of(copy.begin(), copy.end(), [](float x) { return std::isnan(x); })) {
        // NaN has no place in nth_element's ordering; torch's topk ranks it first.
        const auto kth = std::get<0>(logits.topk(k)).select(0, k - 1);
        logits.masked_fill_(logits < kth, kBanned);
        return;
    }
    std::nth_element(copy.begin(), copy.begin() + (k - 1), copy.end(), std::greater<float>());
    const float kth = copy[std::size_t(k - 1)];
    for (std::size_t i = 0; i < n; ++i)
        if (v[i] < kth)
            v[i] = kBanned;
}

void keepTopP(torch::Tensor &logits, double p)
{
    if (p >= 1.0)
        return;
    // Ascending order: drop the low tail whose mass is at most 1 - p, never the top token.
    auto [sorted, order] = logits.sort(/*dim=*/0, /*descending=*/false);
    auto drop = sorted.softmax(0).cumsum(0) <= (1.0 - p);
    drop.index_put_({ -1 }, false);
    logits.masked_fill_(drop.scatter(0, order, drop), kBanned);
}

} // namespace chatbench
