#include "data/dialogue_encoder.h"

#include "chatbench/error.h"
#include "tokenize/wordpiece_tokenizer.h"

#include <algorithm>

namespace chatbench {

namespace {
int checkedMaxLen(int maxLen)
{
    if (maxLen < 2)
        throw Error("max_len must be at least 2, got " + std::to_string(maxLen));
    return maxLen;
}
} // namespace

DialogueEncoder::DialogueEncoder(
    const Tokenizer &tokenizer, int maxLen, DialogueLayout::Kind layout)
    : m_tokenizer(tokenizer), m_wordPiece(dynamic_cast<const WordPieceTokenizer *>(&tokenizer)),
      m_maxLen(static_cast<std::size_t>(checkedMaxLen(maxLen))), m_unk(tokenizer.specialIds().unk),
      m_layout(layout, tokenizer)
{ }

std::size_t DialogueEncoder::encode(const std::vector<std::string> &utterances,
    std::vector<std::int32_t> &out, std::uint64_t &unkTokens,
    std::vector<std::vector<std::int32_t>> &pieces) const
{
    // Grown, never shrunk: the inner vectors keep their capacity from call to call.
    if (pieces.size() < utterances.size())
        pieces.resize(utterances.size());
    for (std::size_t i = 0; i < utterances.size(); ++i) {
        auto &ids = pieces[i];
        ids.clear();
        if (m_wordPiece)
            m_wordPiece->encodeAppend(utterances[i], ids);
        else
            ids = m_tokenizer.encode(utterances[i], /*addSpecialTokens=*/false);
        if (m_unk >= 0)
            unkTokens += std::size_t(std::count(ids.begin(), ids.end(), m_unk));
    }
    const std::size_t length
        = m_layout.appendSample(pieces.data(), utterances.size(), m_maxLen, out);
    return length;
}

} // namespace chatbench
