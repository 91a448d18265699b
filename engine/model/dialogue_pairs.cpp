#include "model/dialogue_pairs.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace chatbench {
namespace {

using Ids = std::vector<std::int64_t>;

// Rows of different lengths -> ids (rows, longest) int64 padded with pad, and the mask
// (rows, longest) bool, true on tokens.
std::pair<torch::Tensor, torch::Tensor> padded(const std::vector<Ids> &rows, std::int64_t pad)
{
    std::size_t longest = 0;
    std::vector<std::int64_t> lengths;
    for (const Ids &r : rows) {
        longest = std::max(longest, r.size());
        lengths.push_back(std::int64_t(r.size()));
    }
    auto ids = torch::full({ std::int64_t(rows.size()), std::int64_t(longest) }, pad, torch::kLong);
    auto *data = ids.data_ptr<std::int64_t>();
    for (std::size_t i = 0; i < rows.size(); ++i)
        std::copy(rows[i].begin(), rows[i].end(), data + i * longest);
    auto mask = torch::arange(std::int64_t(longest), torch::kLong)
                    .unsqueeze(0)
                    .lt(torch::tensor(lengths, torch::kLong).unsqueeze(1));
    return { ids, mask };
}

} // namespace

DialoguePairs makeDialoguePairs(const Batch &batch, const PairOptions &o)
{
    std::vector<Ids> histories, responses;
    for (std::size_t row = 0; row < batch.rows; ++row) {
        const std::int32_t *ids = batch.ids.data() + row * batch.columns;
        const std::size_t length = std::size_t(batch.lengths[row]);
        // Utterances as [begin, end) token ranges, each closed by [SEP].
        std::vector<std::pair<std::size_t, std::size_t>> utterances;
        std::size_t begin = (length > 0 && ids[0] == o.clsId) ? 1 : 0;
        for (std::size_t i = begin; i < length; ++i)
            if (ids[i] == o.sepId) {
                utterances.emplace_back(begin, i);
                begin = i + 1;
            }
        for (std::size_t k = 1; k < utterances.size(); ++k) {
            const auto responseLength
                = std::int64_t(utterances[k].second - utterances[k].first) + 2;
            if (o.maxResponseTokens > 0 && responseLength > o.maxResponseTokens)
                continue;
            Ids history { o.clsId };
            const std::size_t first = k > std::size_t(o.maxHistory) ? k - o.maxHistory : 0;
            for (std::size_t u = first; u < k; ++u) {
                history.insert(
                    history.end(), ids + utterances[u].first, ids + utterances[u].second);
                history.push_back(o.sepId);
            }
            if (o.maxHistoryTokens > 0 && std::int64_t(history.size()) > o.maxHistoryTokens)
                history.erase(history.begin() + 1, history.end() - (o.maxHistoryTokens - 1));
            Ids response { o.clsId };
            response.insert(response.end(), ids + utterances[k].first, ids + utterances[k].second);
            response.push_back(o.sepId);
            histories.push_back(std::move(history));
            responses.push_back(std::move(response));
        }
    }
    DialoguePairs out;
    if (responses.empty())
        return out;
    std::tie(out.historyIds, out.historyMask) = padded(histories, o.padId);
    torch::Tensor responseMask;
    std::tie(out.responseIds, responseMask) = padded(responses, o.padId);
    out.responseLabels = out.responseIds.masked_fill(responseMask.logical_not(), o.ignoreLabel);
    for (const Ids &h : histories)
        out.tokens += std::int64_t(h.size());
    for (const Ids &r : responses)
        out.tokens += std::int64_t(r.size());
    return out;
}

} // namespace chatbench
