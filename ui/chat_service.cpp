#include "chat_service.h"

#include "chatbench/atomic_file.h"
#include "chatbench/chat_session.h"
#include "chatbench/error.h"
#include "model_loader.h"

#include <QElapsedTimer>
#include <algorithm>
#include <string>
#include <vector>

namespace chatbench::ui {

ChatService::ChatService(std::shared_ptr<ModelLoader> loader, QObject *parent)
    : QObject(parent), m_loader(std::move(loader))
{ }

ChatService::~ChatService() = default;

std::optional<Transcript> ChatService::transcript() const
{
    if (!m_chat || m_chat->turns().empty())
        return std::nullopt;
    return Transcript::of(*m_chat);
}

void ChatService::loadModels(const ChatModelSpecs &specs, const QVector<int> &keep)
{
    Q_EMIT activity(tr("loading models"));
    std::vector<ChatModel> models;
    LoadedModels loaded;
    QVector<int> refused;
    QStringList reasons;
    for (int i = 0; i < specs.size(); ++i) {
        try {
            LoadedModel info;
            models.push_back(m_loader->load(specs[i], &info));
            loaded.append(info);
        } catch (const std::exception &e) {
            refused << i;
            reasons << QString::fromUtf8(e.what());
        }
    }
    if (!refused.isEmpty()) {
        Q_EMIT modelsRefused(refused, reasons);
        for (const QString &reason : std::as_const(reasons))
            Q_EMIT error(tr("Load models"), reason);
        Q_EMIT activity(tr("idle"));
        return;
    }
    try {
        auto session = std::make_unique<ChatSession>(std::move(models));
        if (m_chat) {
            // Each column keeps the replies and the sampler state it had; a new one has none.
            const std::size_t n = session->models().size();
            std::vector<int> from(n, -1); // the column's model in the old session
            for (std::size_t i = 0; i < n && i < std::size_t(keep.size()); ++i)
                from[i] = keep[int(i)];
            std::vector<ChatTurn> turns = m_chat->turns();
            for (ChatTurn &t : turns) {
                ChatTurn moved;
                moved.user = t.user;
                moved.versions.resize(n);
                moved.shown.assign(n, 0);
                for (std::size_t i = 0; i < n; ++i) {
                    if (from[i] < 0 || !t.answeredBy(std::size_t(from[i])))
                        continue;
                    moved.versions[i] = t.versionsOf(std::size_t(from[i]));
                    moved.shown[i] = t.shownVersion(std::size_t(from[i]));
                }
                t = std::move(moved);
            }
            std::vector<std::uint64_t> draws(n, 0);
            for (std::size_t i = 0; i < n; ++i)
                if (from[i] >= 0 && std::size_t(from[i]) < m_chat->draws().size())
                    draws[i] = m_chat->draws()[std::size_t(from[i])];
            session->restore(std::move(turns), std::move(draws));
        }
        m_chat = std::move(session);
        // Models no column uses any more hold hundreds of MB for real sizes.
        m_loader->releaseUnused();
        Q_EMIT modelsLoaded(loaded);
        emitConversation();
        catchUp();
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Load models"), QString::fromUtf8(e.what()));
    }
    Q_EMIT activity(tr("idle"));
}

void ChatService::emitConversation(int from)
{
    const ChatTurns none;
    const ChatTurns &turns = m_chat ? m_chat->turns() : none;
    from = std::clamp(from, 0, int(turns.size()));
    Q_EMIT conversation(from, ChatTurns(turns.begin() + from, turns.end()));
}

// A model added to a conversation answers it turn by turn, so that its column reads like the
// others and it sees its own replies as history.
void ChatService::catchUp()
{
    m_cancel = false;
    for (std::size_t t = 0; m_chat && t < m_chat->turns().size() && !m_cancel; ++t) {
        QVector<int> missing;
        for (std::size_t m = 0; m < m_chat->models().size(); ++m)
            if (!m_chat->turns()[t].answeredBy(m))
                missing << int(m);
        if (missing.isEmpty())
            continue;
        answer(int(t), QString::fromStdString(m_chat->turns()[t].user), missing, tr("Chat"),
            [&](const ChatTokenCallback &onToken) {
                m_chat->answerMissing(t, onToken, &m_cancel);
            });
    }
}

// Runs one of the session's answering calls with the streaming callback and the cancel flag,
// reporting the start, the tokens, the conversation after it and the end (or the error).
template<typename Answer>
void ChatService::answer(
    int turn, const QString &user, const QVector<int> &models, const QString &what, Answer &&call)
{
    if (!m_chat) {
        Q_EMIT error(what, tr("Load a model first."));
        Q_EMIT generated(turn);
        return;
    }
    m_cancel = false;
    Q_EMIT replying(turn, user, models);
    Q_EMIT activity(tr("generating"));
    // The grid draws ~30 times a second, and a small model decodes over a thousand tokens a
    // second: an event per token only crowds the GUI thread's queue (and its allocator, which
    // frees what this thread allocated). A column's first token goes at once, then its text
    // at most every 25 ms, and what is left when the generation ends.
    struct Streamed
    {
        QElapsedTimer sent;
        std::string unsent;
    };
    std::vector<Streamed> streamed(m_chat->models().size());
    const auto send = [&](std::size_t model, const std::string &soFar) {
        Q_EMIT token(turn, int(model), QString::fromStdString(soFar));
        streamed[model].sent.start();
        streamed[model].unsent.clear();
    };
    const ChatTokenCallback onToken
        = [&](std::size_t model, std::int32_t, const std::string &soFar) {
              if (!streamed[model].sent.isValid() || streamed[model].sent.elapsed() >= 25)
                  send(model, soFar);
              else
                  streamed[model].unsent = soFar;
              return !m_cancel.load();
          };
    try {
        call(onToken);
    } catch (const std::exception &e) {
        Q_EMIT error(what, QString::fromUtf8(e.what()));
    }
    for (std::size_t m = 0; m < streamed.size(); ++m)
        if (!streamed[m].unsent.empty())
            send(m, streamed[m].unsent);
    emitConversation(turn); // what came before the turn answered is unchanged
    Q_EMIT generated(turn);
    Q_EMIT activity(tr("idle"));
}

QVector<int> ChatService::allModels() const
{
    QVector<int> all;
    for (std::size_t m = 0; m_chat && m < m_chat->models().size(); ++m)
        all << int(m);
    return all;
}

void ChatService::send(const QString &text)
{
    const int turn = m_chat ? int(m_chat->turns().size()) : 0;
    answer(turn, text, allModels(), tr("Chat"), [&](const ChatTokenCallback &onToken) {
        m_chat->send(text.toStdString(), onToken, &m_cancel);
    });
}

void ChatService::regenerate()
{
    if (!m_chat || m_chat->turns().empty()) {
        Q_EMIT generated(-1);
        return;
    }
    const int turn = int(m_chat->turns().size()) - 1;
    answer(turn, QString::fromStdString(m_chat->turns().back().user), allModels(), tr("Regenerate"),
        [&](const ChatTokenCallback &onToken) { m_chat->regenerate(onToken, &m_cancel); });
}

void ChatService::editTurn(int index, const QString &text)
{
    if (!m_chat || index < 0 || std::size_t(index) >= m_chat->turns().size()) {
        Q_EMIT generated(index);
        return;
    }
    answer(index, text, allModels(), tr("Edit turn"), [&](const ChatTokenCallback &onToken) {
        m_chat->editUserTurn(std::size_t(index), text.toStdString(), onToken, &m_cancel);
    });
}

void ChatService::showVersion(int turn, int model, int version)
{
    if (!m_chat)
        return;
    try {
        m_chat->showVersion(std::size_t(turn), std::size_t(model), std::size_t(version));
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Show reply"), QString::fromUtf8(e.what()));
    }
    emitConversation(turn);
}

void ChatService::clear()
{
    if (m_chat)
        m_chat->restore({}, std::vector<std::uint64_t>(m_chat->models().size(), 0));
    emitConversation();
}

void ChatService::saveTranscript(const QString &file, TranscriptFormat format)
{
    if (!m_chat) {
        Q_EMIT error(tr("Save transcript"), tr("There is no chat to save."));
        return;
    }
    try {
        writeFileAtomically(file.toStdString(), renderTranscript(Transcript::of(*m_chat), format));
        Q_EMIT transcriptSaved(file);
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Save transcript"), QString::fromUtf8(e.what()));
    }
}

void ChatService::openTranscript(const QString &file)
{
    try {
        const Transcript t = loadTranscript(file.toStdString());
        std::vector<ChatModel> models;
        LoadedModels loaded;
        ChatModelSpecs specs;
        for (const TranscriptModel &tm : t.models) {
            // The checkpoint folder it was recorded with, and its settings as recorded.
            ChatModelSpec spec;
            spec.name = QString::fromStdString(tm.name);
            spec.source = QString::fromStdString(tm.path);
            spec.temperature = tm.sampling.temperature;
            spec.topK = tm.sampling.topK;
            spec.topP = tm.sampling.topP;
            spec.repetitionPenalty = tm.sampling.repetitionPenalty;
            spec.maxNewTokens = tm.sampling.maxNewTokens;
            spec.maxHistory = tm.maxHistoryLen;
            spec.seed = tm.sampling.seed;
            spec.precision = tm.sampling.precision;
            specs.append(spec);
            LoadedModel info;
            ChatModel m = m_loader->load(spec, &info);
            m.sampling = tm.sampling; // as recorded, not the spec's defaults
            m.maxHistoryLen = tm.maxHistoryLen;
            m.source = tm.source.empty() ? tm.path : tm.source;
            m.step = tm.step;
            info.step = tm.step;
            models.push_back(std::move(m));
            loaded.append(info);
        }
        auto session = std::make_unique<ChatSession>(std::move(models));
        t.restoreInto(*session);
        m_chat = std::move(session);
        Q_EMIT opened(specs);
        Q_EMIT modelsLoaded(loaded);
        emitConversation();
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Open transcript"), QString::fromUtf8(e.what()));
    }
}

} // namespace chatbench::ui
