#pragma once
// GPT2-chitchat's sample layout: [CLS] u1 [SEP] u2 [SEP] ... un [SEP], cut at max_len.

#include "chatbench/tokenizer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace chatbench {

class WordPieceTokenizer;

class DialogueEncoder
{
public:
    // Throws chatbench::Error when the tokenizer has no cls/sep token or maxLen < 2.
    DialogueEncoder(const Tokenizer &tokenizer, int maxLen);

    // Appends the (truncated) sample to out; returns its length before truncation.
    std::size_t encode(const std::vector<std::string> &utterances, std::vector<std::int32_t> &out,
        std::uint64_t &unkTokens) const;

private:
    const Tokenizer &m_tokenizer;
    const WordPieceTokenizer *m_wordPiece; // the allocation-free path when it is one
    std::size_t m_maxLen;
    SpecialTokenIds m_ids;
};

} // namespace chatbench
