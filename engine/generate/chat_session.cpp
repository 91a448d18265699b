#include "chatbench/chat_session.h"

#include "chatbench/error.h"
#include "chatbench/gpt2_config.h"
#include "chatbench/language_model.h"
#include "chatbench/tokenizer.h"

#include <algorithm>

namespace chatbench {

std::vector<std::int32_t> chatPromptIds(const DialogueLayout &layout,
    const std::vector<std::vector<std::int32_t>> &utterances, int maxHistoryLen)
{
    const std::size_t keep = std::min(utterances.size(), std::size_t(std::max(maxHistoryLen, 1)));
    return layout.prompt({ utterances.end() - std::ptrdiff_t(keep), utterances.end() });
}

ChatPrompter::ChatPrompter(
    const LanguageModel &model, const Tokenizer &tokenizer, int maxHistoryLen)
    : m_layout(model.config().dialogueLayout, tokenizer), m_maxHistoryLen(maxHistoryLen)
{ }

SamplingOptions ChatPrompter::sampling(SamplingOptions options) const
{
    for (const std::int32_t id : m_layout.turnEndIds())
        if (std::find(options.stopIds.begin(), options.stopIds.end(), id) == options.stopIds.end())
            options.stopIds.push_back(id);
    return options;
}

ChatSession::ChatSession(std::vector<ChatModel> models)
    : m_models(std::move(models)), m_draws(m_models.size(), 0)
{
    if (m_models.empty())
        throw Error("chat session: no model");
    for (const auto &m : m_models) {
        const std::string who = "chat session: model '" + m.name + "': ";
        if (!m.model || !m.tokenizer)
            throw Error(who + "needs both a language model and a tokenizer");
        const auto &special = m.tokenizer->specialIds();
        if (special.cls < 0 || special.sep < 0)
            throw Error(who + "its tokenizer has no [CLS] or [SEP] token");
        if (m.maxHistoryLen < 1)
            throw Error(who + "max history length must be >= 1");
        try {
            ChatPrompter(*m.model, *m.tokenizer, m.maxHistoryLen);
        } catch (const Error &e) {
            throw Error(who + e.what());
        }
    }
}

std::vector<std::int32_t> ChatSession::promptIds(
    std::size_t model, std::size_t turnCount, const std::string &userText) const
{
    const ChatModel &m = m_models.at(model);
    // Newest first, so that only the utterances that fit are encoded.
    std::vector<std::vector<std::int32_t>> recent;
    recent.push_back(m.tokenizer->encode(userText, false));
    for (std::size_t t = std::min(turnCount, m_turns.size());
         t-- > 0 && recent.size() < std::size_t(m.maxHistoryLen);) {
        const ChatReply &reply = m_turns[t].replies[model];
        recent.push_back(reply.ids.empty() && !reply.text.empty()
                ? m.tokenizer->encode(reply.text, false)
                : reply.ids);
        if (recent.size() < std::size_t(m.maxHistoryLen))
            recent.push_back(m.tokenizer->encode(m_turns[t].user, false));
    }
    std::reverse(recent.begin(), recent.end());
    return ChatPrompter(*m.model, *m.tokenizer, m.maxHistoryLen).ids(recent);
}

ChatReply ChatSession::answer(std::size_t model, std::size_t turnCount, const std::string &userText,
    const ChatTokenCallback &onToken, const std::atomic<bool> *cancel)
{
    const ChatModel &m = m_models[model];
    SamplingOptions options
        = ChatPrompter(*m.model, *m.tokenizer, m.maxHistoryLen).sampling(m.sampling);
    options.numCandidates = 1;
    options.seed = m.sampling.seed + m_draws[model]++;
    std::vector<std::int32_t> soFar;
    TokenCallback perToken;
    if (onToken)
        perToken = [&](int, std::int32_t id) {
            if (std::find(options.stopIds.begin(), options.stopIds.end(), id)
                == options.stopIds.end())
                soFar.push_back(id);
            return onToken(model, id, m.tokenizer->decode(soFar));
        };
    const auto out
        = generate(*m.model, promptIds(model, turnCount, userText), options, perToken, cancel);
    ChatReply reply;
    reply.seed = options.seed;
    if (!out.empty()) {
        reply.ids = out.front().ids;
        reply.stopReason = out.front().stopReason;
    } else {
        reply.stopReason = StopReason::Cancelled;
    }
    reply.text = m.tokenizer->decode(reply.ids);
    return reply;
}

void ChatSession::answerAll(ChatTurn &turn, std::size_t turnCount, const ChatTokenCallback &onToken,
    const std::atomic<bool> *cancel)
{
    turn.replies.assign(m_models.size(), ChatReply {});
    bool cancelled = false;
    for (std::size_t i = 0; i < m_models.size(); ++i) {
        if (cancelled) {
            // A cancelled request stops every model, not just the one that was speaking.
            turn.replies[i].stopReason = StopReason::Cancelled;
            continue;
        }
        turn.replies[i] = answer(i, turnCount, turn.user, onToken, cancel);
        cancelled = turn.replies[i].stopReason == StopReason::Cancelled;
    }
}

const ChatTurn &ChatSession::send(
    const std::string &userText, const ChatTokenCallback &onToken, const std::atomic<bool> *cancel)
{
    ChatTurn turn;
    turn.user = userText;
    answerAll(turn, m_turns.size(), onToken, cancel);
    m_turns.push_back(std::move(turn));
    return m_turns.back();
}

const ChatTurn &ChatSession::regenerate(
    const ChatTokenCallback &onToken, const std::atomic<bool> *cancel)
{
    if (m_turns.empty())
        throw Error("chat session: there is no reply to regenerate");
    answerAll(m_turns.back(), m_turns.size() - 1, onToken, cancel);
    return m_turns.back();
}

const ChatTurn &ChatSession::editUserTurn(std::size_t index, const std::string &userText,
    const ChatTokenCallback &onToken, const std::atomic<bool> *cancel)
{
    if (index >= m_turns.size())
        throw Error("chat session: no user turn " + std::to_string(index) + " (there are "
            + std::to_string(m_turns.size()) + ")");
    m_turns.resize(index + 1);
    m_turns.back().user = userText;
    return regenerate(onToken, cancel);
}

void ChatSession::restore(std::vector<ChatTurn> turns, std::vector<std::uint64_t> draws)
{
    if (draws.size() != m_models.size())
        throw Error("chat session: " + std::to_string(draws.size()) + " draw counts for "
            + std::to_string(m_models.size()) + " models");
    for (std::size_t t = 0; t < turns.size(); ++t)
        if (turns[t].replies.size() != m_models.size())
            throw Error("chat session: turn " + std::to_string(t) + " has "
                + std::to_string(turns[t].replies.size()) + " replies for "
                + std::to_string(m_models.size()) + " models");
    m_turns = std::move(turns);
    m_draws = std::move(draws);
}

} // namespace chatbench
