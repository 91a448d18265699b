#pragma once
// A multi-turn chat in which one or more models answer the same user turns, each remembering
// its own replies. A model sees the dialogue layout it was trained with (dialogue_layout.h;
// GPT2-chitchat's interact.py layout [CLS] u1 [SEP] r1 [SEP] u2 [SEP] ... un [SEP] unless its
// config.json says cdial) over the last maxHistoryLen utterances (user and bot both count), and
// its reply is sampled until a stop token ([SEP] by default). Torch-free. Not thread-safe: drive a
// session from the thread that owns its models (the engine thread).

#include "chatbench/dialogue_layout.h"
#include "chatbench/sampling.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chatbench {

class LanguageModel;
class Tokenizer;

struct ChatModel
{
    std::string name; // shown in transcripts ("Learning from *Scratch*")
    std::string path; // the checkpoint folder it was loaded from, recorded in transcripts
    std::shared_ptr<const LanguageModel> model;
    std::shared_ptr<const Tokenizer> tokenizer;
    // Its seed is the base of the reply seeds (see ChatSession); numCandidates > 1 keeps
    // candidate 0 only.
    SamplingOptions sampling;
    int maxHistoryLen = 3; // GPT2-chitchat's default
};

struct ChatReply
{
    std::string text;
    // The sampled ids (stop token excluded). Later prompts reuse them rather than re-encoding
    // text, as interact.py does, so the model sees exactly what it produced.
    std::vector<std::int32_t> ids;
    std::uint64_t seed = 0;
    StopReason stopReason = StopReason::MaxTokens;
};

struct ChatTurn
{
    std::string user;
    std::vector<ChatReply> replies; // one per model, in the session's model order
};

// After every sampled token of model `model`'s reply (stop token included); textSoFar is the
// reply decoded so far. Returning false cancels the request.
// A layout's prompt over the last maxHistoryLen of the encoded utterances (oldest first, the
// one to answer last).
std::vector<std::int32_t> chatPromptIds(const DialogueLayout &layout,
    const std::vector<std::vector<std::int32_t>> &utterances, int maxHistoryLen);

// How a model is asked for a reply, shared by ChatSession, evaluation on a prompt set and the
// GUI's comparison so all feed a model the same way: the layout from its config.json over its
// tokenizer, and the tokens that end its reply.
class ChatPrompter
{
public:
    // Throws chatbench::Error when the tokenizer lacks a token the model's layout needs.
    ChatPrompter(const LanguageModel &model, const Tokenizer &tokenizer, int maxHistoryLen);
    std::vector<std::int32_t> ids(const std::vector<std::vector<std::int32_t>> &utterances) const
    {
        return chatPromptIds(m_layout, utterances, m_maxHistoryLen);
    }
    // options plus the layout's turn-end tokens as stop ids.
    SamplingOptions sampling(SamplingOptions options) const;

private:
    DialogueLayout m_layout;
    int m_maxHistoryLen;
};

using ChatTokenCallback
    = std::function<bool(std::size_t model, std::int32_t id, const std::string &textSoFar)>;

class ChatSession
{
public:
    // Throws chatbench::Error when a model lacks its LanguageModel or Tokenizer, the tokenizer
    // has no [CLS] or [SEP], or maxHistoryLen < 1.
    explicit ChatSession(std::vector<ChatModel> models);

    const std::vector<ChatModel> &models() const { return m_models; }
    const std::vector<ChatTurn> &turns() const { return m_turns; }

    // The ids model `model` is given to answer userText after the first `turnCount` turns.
    std::vector<std::int32_t> promptIds(
        std::size_t model, std::size_t turnCount, const std::string &userText) const;

    // Every model answers a new user turn. Reply seeds are sampling.seed + the number of replies
    // that model drew before, so replaying a session with the same settings replays its replies
    // and a regenerated reply never reuses a seed. When cancelled, the partial replies are kept.
    const ChatTurn &send(const std::string &userText, const ChatTokenCallback &onToken = {},
        const std::atomic<bool> *cancel = nullptr);
    // Draws the last turn's replies again with new seeds; earlier turns stay as they were.
    // Throws chatbench::Error when there is no turn.
    const ChatTurn &regenerate(
        const ChatTokenCallback &onToken = {}, const std::atomic<bool> *cancel = nullptr);
    // Replaces user turn `index` (from 0), drops the turns after it and answers it again.
    const ChatTurn &editUserTurn(std::size_t index, const std::string &userText,
        const ChatTokenCallback &onToken = {}, const std::atomic<bool> *cancel = nullptr);

    // How many replies each model has drawn (the next seed offset), for transcripts.
    const std::vector<std::uint64_t> &draws() const { return m_draws; }
    // Puts back a saved conversation. Throws chatbench::Error when a turn does not have one
    // reply per model or draws has the wrong size.
    void restore(std::vector<ChatTurn> turns, std::vector<std::uint64_t> draws);

private:
    ChatReply answer(std::size_t model, std::size_t turnCount, const std::string &userText,
        const ChatTokenCallback &onToken, const std::atomic<bool> *cancel);
    void answerAll(ChatTurn &turn, std::size_t turnCount, const ChatTokenCallback &onToken,
        const std::atomic<bool> *cancel);

    std::vector<ChatModel> m_models;
    std::vector<ChatTurn> m_turns;
    std::vector<std::uint64_t> m_draws;
};

} // namespace chatbench
