#include "data/dialogue_encoder.h"

#include "chatbench/error.h"
#include "chatbench/wordpiece_tokenizer.h"

namespace chatbench {

DialogueEncoder::DialogueEncoder(const Tokenizer &tokenizer, int maxLen)
    : m_tokenizer(tokenizer), m_wordPiece(dynamic_cast<const WordPieceTokenizer *>(&tokenizer)),
      m_maxLen(static_cast<std::size_t>(maxLen)), m_ids(tokenizer.specialIds())
{
    if (maxLen < 2)
        throw Error("max_len must be at least 2, got " + std::to_string(maxLen));
    if (m_ids.cls < 0 || m_ids.sep < 0)
        throw Error("the tokenizer has no [CLS]/[SEP] (or bos/eos) token to frame dialogues with");
}

std::size_t DialogueEncoder::encode(const std::vector<std::string> &utterances,
    std::vector<std::int32_t> &out, std::uint64_t &unkTokens) const
{
    const std::size_t start = out.size();
    out.push_back(m_ids.cls);
    for (const auto &u : utterances) {
        const std::size_t before = out.size();
        if (m_wordPiece) {
            m_wordPiece->encodeAppend(u, out);
        } else {
            const auto ids = m_tokenizer.encode(u, /*addSpecialTokens=*/false);
            out.insert(out.end(), ids.begin(), ids.end());
        }
        if (m_ids.unk >= 0)
            for (std::size_t i = before; i < out.size(); ++i)
                unkTokens += out[i] == m_ids.unk;
        out.push_back(m_ids.sep);
    }
    const std::size_t length = out.size() - start;
    if (length > m_maxLen)
        out.resize(start + m_maxLen);
    return length;
}

} // namespace chatbench
