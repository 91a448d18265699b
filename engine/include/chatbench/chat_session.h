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
    // What the user chose: a run folder, a model folder or a repo id; and the run's step at
    // path (-1: a model folder, which has no step). Transcripts and exports name both.
    std::string source;
    std::int64_t step = -1;
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
    // Time the model spent on this reply alone (prompt included), for tokens per second.
    double decodeMs = 0;

    // Tokens decoded: the reply's and its stop token.
    std::size_t tokensDecoded() const { return ids.size() + (stopReason == StopReason::StopToken); }
};

struct ChatTurn
{
    std::string user;
    // One per model, in the session's model order: the version shown, which later turns see.
    std::vector<ChatReply> replies;
    // Per model, every reply drawn for this turn, oldest first (regenerating adds one), and the
    // one shown: replies[m] is versions[m][shown[m]]. A model added to the session after this
    // turn has no version until it answers it (ChatSession::answerMissing). A turn built by
    // hand may leave both empty: its replies are then the only versions.
    std::vector<std::vector<ChatReply>> versions;
    std::vector<std::size_t> shown;

    bool answeredBy(std::size_t model) const
    {
        return versions.empty() ? model < replies.size()
                                : model < versions.size() && !versions[model].empty();
    }
    // Every version of model `model`'s reply (none when it has not answered).
    std::vector<ChatReply> versionsOf(std::size_t model) const
    {
        if (versions.empty())
            return model < replies.size() ? std::vector<ChatReply> { replies[model] }
                                          : std::vector<ChatReply> {};
        return model < versions.size() ? versions[model] : std::vector<ChatReply> {};
    }
    std::size_t shownVersion(std::size_t model) const
    {
        return model < shown.size() ? shown[model] : 0;
    }
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
    // Draws the last turn's replies again with new seeds, as new versions shown in place of the
    // old ones (which are kept); earlier turns stay as they were. Throws chatbench::Error when
    // there is no turn.
    const ChatTurn &regenerate(
        const ChatTokenCallback &onToken = {}, const std::atomic<bool> *cancel = nullptr);
    // Replaces user turn `index` (from 0), drops the turns after it and answers it again (its
    // earlier replies answered another text, so they go).
    const ChatTurn &editUserTurn(std::size_t index, const std::string &userText,
        const ChatTokenCallback &onToken = {}, const std::atomic<bool> *cancel = nullptr);
    // The models with no reply to turn `index` answer it (a model added to a conversation
    // catches up, turn by turn). Throws chatbench::Error for a turn that does not exist.
    const ChatTurn &answerMissing(std::size_t index, const ChatTokenCallback &onToken = {},
        const std::atomic<bool> *cancel = nullptr);
    // Shows model `model`'s version `version` of turn `index`: later turns see it from now on.
    // Throws chatbench::Error naming what does not exist.
    void showVersion(std::size_t index, std::size_t model, std::size_t version);

    // How many replies each model has drawn (the next seed offset), for transcripts.
    const std::vector<std::uint64_t> &draws() const { return m_draws; }
    // Puts back a saved conversation. A turn without versions gets its replies as the only
    // versions. Throws chatbench::Error when a turn does not have one reply (or version list)
    // per model, a shown index is out of range, or draws has the wrong size.
    void restore(std::vector<ChatTurn> turns, std::vector<std::uint64_t> draws);

private:
    // The given models answer turn `index` together, token by token in turns, each reply
    // becoming that model's newest version, shown.
    void answer(std::size_t index, const std::vector<std::size_t> &models,
        const ChatTokenCallback &onToken, const std::atomic<bool> *cancel);

    std::vector<ChatModel> m_models;
    std::vector<ChatTurn> m_turns;
    std::vector<std::uint64_t> m_draws;
};

} // namespace chatbench
