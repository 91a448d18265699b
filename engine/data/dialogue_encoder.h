#pragma once
// Tokenizes a dialogue's utterances and lays them out as one training sample
// (chatbench/dialogue_layout.h: GPT2-chitchat's or CDial-GPT's), cut at max_len.

#include "chatbench/dialogue_layout.h"
#include "chatbench/tokenizer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace chatbench {

class WordPieceTokenizer;

class DialogueEncoder
{
public:
    // Throws chatbench::Error when the tokenizer lacks a token the layout needs or maxLen < 2.
    DialogueEncoder(const Tokenizer &tokenizer, int maxLen,
        DialogueLayout::Kind layout = DialogueLayout::Kind::Chitchat);

    // Appends the (truncated) sample to out; returns its length before truncation. pieces is
    // the caller's scratch space (one per thread), reused to spare allocations.
    std::size_t encode(const std::vector<std::string> &utterances, std::vector<std::int32_t> &out,
        std::uint64_t &unkTokens, std::vector<std::vector<std::int32_t>> &pieces) const;

    const DialogueLayout &layout() const { return m_layout; }

private:
    const Tokenizer &m_tokenizer;
    const WordPieceTokenizer *m_wordPiece; // the allocation-free path when it is one
    std::size_t m_maxLen;
    std::int32_t m_unk;
    DialogueLayout m_layout;
};

} // namespace chatbench
