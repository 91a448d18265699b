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

void ChatSession::answer(std::size_t index, const std::vector<std::size_t> &models,
    const ChatTokenCallback &onToken, const std::atomic<bool> *cancel)
{
    ChatTurn &turn = m_turns[index];
    std::vector<GenerationRequest> requests;
    for (const std::size_t i : models) {
        const ChatModel &m = m_models[i];
        GenerationRequest r;
        r.model = m.model.get();
        r.options = ChatPrompter(*m.model, *m.tokenizer, m.maxHistoryLen).sampling(m.sampling);
        r.options.numCandidates = 1;
        r.options.seed = m.sampling.seed + m_draws[i]++;
        r.prompt = promptIds(i, index, turn.user);
        requests.push_back(std::move(r));
    }
    std::vector<std::vector<std::int32_t>> soFar(models.size());
    TurnTokenCallback perToken;
    if (onToken)
        perToken = [&](std::size_t request, std::int32_t id) {
            const auto &stops = requests[request].options.stopIds;
            if (std::find(stops.begin(), stops.end(), id) == stops.end())
                soFar[request].push_back(id);
            const ChatModel &m = m_models[models[request]];
            return onToken(models[request], id, m.tokenizer->decode(soFar[request]));
        };
    const auto out = generateInTurns(requests, perToken, cancel);
    for (std::size_t k = 0; k < models.size(); ++k) {
        const std::size_t i = models[k];
        ChatReply reply;
        reply.seed = requests[k].options.seed;
        reply.ids = out[k].ids;
        reply.stopReason = out[k].stopReason;
        reply.decodeMs = out[k].busyMs;
        reply.text = m_models[i].tokenizer->decode(reply.ids);
        turn.versions[i].push_back(reply);
        turn.shown[i] = turn.versions[i].size() - 1;
        turn.replies[i] = std::move(reply);
    }
}

namespace {
std::vector<std::size_t> allModels(std::size_t count)
{
    std::vector<std::size_t> out(count);
    for (std::size_t i = 0; i < count; ++i)
        out[i] = i;
    return out;
}
} // namespace

const ChatTurn &ChatSession::send(
    const std::string &userText, const ChatTokenCallback &onToken, const std::atomic<bool> *cancel)
{
    ChatTurn turn;
    turn.user = userText;
    turn.replies.resize(m_models.size());
    turn.versions.resize(m_models.size());
    turn.shown.assign(m_models.size(), 0);
    m_turns.push_back(std::move(turn));
    answer(m_turns.size() - 1, allModels(m_models.size()), onToken, cancel);
    return m_turns.back();
}

const ChatTurn &ChatSession::regenerate(
    const ChatTokenCallback &onToken, const std::atomic<bool> *cancel)
{
    if (m_turns.empty())
        throw Error("chat session: there is no reply to regenerate");
    answer(m_turns.size() - 1, allModels(m_models.size()), onToken, cancel);
    return m_turns.back();
}

const ChatTurn &ChatSession::editUserTurn(std::size_t index, const std::string &userText,
    const ChatTokenCallback &onToken, const std::atomic<bool> *cancel)
{
    if (index >= m_turns.size())
        throw Error("chat session: no user turn " + std::to_string(index) + " (there are "
            + std::to_string(m_turns.size()) + ")");
    m_turns.resize(index);
    return send(userText, onToken, cancel);
}

const ChatTurn &ChatSession::answerMissing(
    std::size_t index, const ChatTokenCallback &onToken, const std::atomic<bool> *cancel)
{
    if (index >= m_turns.size())
        throw Error("chat session: no user turn " + std::to_string(index) + " (there are "
            + std::to_string(m_turns.size()) + ")");
    std::vector<std::size_t> missing;
    for (std::size_t i = 0; i < m_models.size(); ++i)
        if (!m_turns[index].answeredBy(i))
            missing.push_back(i);
    if (!missing.empty())
        answer(index, missing, onToken, cancel);
    return m_turns[index];
}

void ChatSession::showVersion(std::size_t index, std::size_t model, std::size_t version)
{
    if (index >= m_turns.size() || model >= m_models.size())
        throw Error("chat session: no turn " + std::to_string(index) + " of model "
            + std::to_string(model));
    ChatTurn &turn = m_turns[index];
    if (version >= turn.versions[model].size())
        throw Error("chat session: turn " + std::to_string(index) + " of model "
            + std::to_string(model) + " has " + std::to_string(turn.versions[model].size())
            + " versions, not " + std::to_string(version + 1));
    turn.shown[model] = version;
    turn.replies[model] = turn.versions[model][version];
}

void ChatSession::restore(std::vector<ChatTurn> turns, std::vector<std::uint64_t> draws)
{
    if (draws.size() != m_models.size())
        throw Error("chat session: " + std::to_string(draws.size()) + " draw counts for "
            + std::to_string(m_models.size()) + " models");
    const std::size_t n = m_models.size();
    for (std::size_t t = 0; t < turns.size(); ++t) {
        ChatTurn &turn = turns[t];
        const std::string where = "chat session: turn " + std::to_string(t) + " has ";
        if (turn.versions.empty()) {
            if (turn.replies.size() != n)
                throw Error(where + std::to_string(turn.replies.size()) + " replies for "
                    + std::to_string(n) + " models");
            for (const ChatReply &r : turn.replies)
                turn.versions.push_back({ r });
            turn.shown.assign(n, 0);
        }
        if (turn.versions.size() != n || turn.shown.size() != n)
            throw Error(where + std::to_string(turn.versions.size()) + " version lists and "
                + std::to_string(turn.shown.size()) + " shown indices for " + std::to_string(n)
                + " models");
        turn.replies.assign(n, ChatReply {});
        for (std::size_t m = 0; m < n; ++m) {
            if (turn.versions[m].empty())
                continue;
            if (turn.shown[m] >= turn.versions[m].size())
                throw Error(where + "no version " + std::to_string(turn.shown[m] + 1) + " of model "
                    + std::to_string(m));
            turn.replies[m] = turn.versions[m][turn.shown[m]];
        }
    }
    m_turns = std::move(turns);
    m_draws = std::move(draws);
}

} // namespace chatbench
