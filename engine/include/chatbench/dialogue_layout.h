#pragma once
// How a dialogue becomes one token sequence, for training samples and chat prompts alike, so a
// model is always prompted the way it was trained. Torch-free.
//
//  chitchat (GPT2-chitchat): [CLS] u1 [SEP] u2 [SEP] ... un [SEP]; a reply is generated after
//           the prompt's last [SEP] and ends with [SEP].
//  cdial (CDial-GPT):        [CLS] [speaker1] u1 [speaker2] u2 [speaker1] u3 ... un [SEP];
//           speakers alternate from [speaker1] at the first utterance kept; the reply's speaker
//           token ends the prompt and the reply ends with [SEP]. Training learns the final
//           utterance only (labels from after its speaker token). CDial-GPT also feeds the
//           speaker ids as token_type_ids; here the inline speaker tokens carry that alone.
//
// The speaker tokens are "[speaker1]"/"[speaker2]" when the vocabulary has them (CDial-GPT's),
// else "[unused1]"/"[unused2]": every BERT-layout vocabulary (bert-base-chinese, ckiplab's GPT-2,
// the ones ChatBench builds) has those, so a pretrained checkpoint needs no vocabulary edit.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

class Tokenizer;

class DialogueLayout
{
public:
    enum class Kind { Chitchat, CDial };
    static const char *kindName(Kind kind); // "chitchat", "cdial"
    // Throws chatbench::Error naming the accepted values.
    static Kind parseKind(std::string_view name);

    // Throws chatbench::Error when the tokenizer lacks a token the layout needs.
    DialogueLayout(Kind kind, const Tokenizer &tokenizer);

    Kind kind() const { return m_kind; }
    // The speaker token strings in use (empty for chitchat), for statistics and messages.
    std::vector<std::string> speakerTokens() const { return m_speakerTokens; }

    // A training sample: every utterance, the last one being the response. When it exceeds
    // maxLen, chitchat cuts its end (GPT2-chitchat); cdial drops the oldest utterances first,
    // as CDial-GPT's history window does, and cuts the response's end only when it alone does
    // not fit. Appends the sample to out; returns its length before any truncation.
    // utterances: count token-id vectors (a pointer range, so callers can reuse scratch space).
    std::size_t appendSample(const std::vector<std::int32_t> *utterances, std::size_t count,
        std::size_t maxLen, std::vector<std::int32_t> &out) const;

    // A sample's utterances again (appendSample's inverse, without [CLS], [SEP] and speaker
    // tokens); a truncated sample's last one is cut short.
    std::vector<std::vector<std::int32_t>> utterances(
        const std::int32_t *ids, std::size_t length) const;
    // A chat prompt: the history (oldest first, the user's message last), after which the
    // model writes the reply.
    std::vector<std::int32_t> prompt(const std::vector<std::vector<std::int32_t>> &history) const;

    // Where the response starts in a sample of this layout (the first position the
    // response-only loss learns): after the second-to-last [SEP] (chitchat) or the last speaker
    // token (cdial); 0 when a chitchat sample has a single utterance.
    std::size_t responseStart(const std::int32_t *ids, std::size_t length) const;

    // Tokens that end a reply besides [SEP]: cdial's speaker tokens (a new turn), as CDial-GPT's
    // interact.py stops at any special token.
    std::vector<std::int32_t> turnEndIds() const;

private:
    std::int32_t speaker(std::size_t index) const { return m_speakers[index % 2]; }

    Kind m_kind;
    std::int32_t m_cls = -1, m_sep = -1;
    std::int32_t m_speakers[2] = { -1, -1 };
    std::vector<std::string> m_speakerTokens;
};

} // namespace chatbench
