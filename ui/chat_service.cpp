#include "chat_service.h"

#include "chatbench/atomic_file.h"
#include "chatbench/chat_session.h"
#include "chatbench/error.h"
#include "model_loader.h"

namespace chatbench::ui {

namespace {

QStringList replyTexts(const ChatTurn &turn)
{
    QStringList replies;
    for (const auto &r : turn.replies)
        replies << QString::fromStdString(r.text);
    return replies;
}

} // namespace

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

void ChatService::loadModels(const ChatModelSpecs &specs)
{
    Q_EMIT activity(tr("loading models"));
    try {
        std::vector<ChatModel> models;
        LoadedModels loaded;
        for (const ChatModelSpec &spec : specs) {
            LoadedModel info;
            models.push_back(m_loader->load(spec, &info));
            loaded.append(info);
        }
        auto session = std::make_unique<ChatSession>(std::move(models));
        if (m_chat && m_chat->models().size() == session->models().size())
            Transcript::of(*m_chat).restoreInto(*session);
        m_chat = std::move(session);
        // Models no column uses any more hold hundreds of MB for real sizes.
        m_loader->releaseUnused();
        Q_EMIT modelsLoaded(loaded);
        emitTurns();
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Load models"), QString::fromUtf8(e.what()));
    }
    Q_EMIT activity(tr("idle"));
}

void ChatService::emitTurns()
{
    if (!m_chat)
        return;
    Q_EMIT cleared();
    const auto &turns = m_chat->turns();
    for (std::size_t i = 0; i < turns.size(); ++i) {
        Q_EMIT turnStarted(int(i), QString::fromStdString(turns[i].user));
        Q_EMIT turnFinished(int(i), replyTexts(turns[i]));
    }
}

// Runs one of the session's answering calls with the streaming callback and the cancel flag,
// reporting the turn's start, tokens and end (or the error).
template<typename Answer>
void ChatService::answer(int turn, const QString &user, const QString &what, Answer &&call)
{
    if (!m_chat) {
        Q_EMIT error(what, tr("Load a model first."));
        return;
    }
    m_cancel = false;
    Q_EMIT turnStarted(turn, user);
    Q_EMIT activity(tr("generating"));
    const ChatTokenCallback onToken
        = [this, turn](std::size_t model, std::int32_t, const std::string &soFar) {
              Q_EMIT token(turn, int(model), QString::fromStdString(soFar));
              return !m_cancel.load();
          };
    try {
        Q_EMIT turnFinished(turn, replyTexts(call(onToken)));
    } catch (const std::exception &e) {
        Q_EMIT error(what, QString::fromUtf8(e.what()));
    }
    Q_EMIT activity(tr("idle"));
}

void ChatService::send(const QString &text)
{
    const int turn = m_chat ? int(m_chat->turns().size()) : 0;
    answer(turn, text, tr("Chat"), [&](const ChatTokenCallback &onToken) -> const ChatTurn & {
        return m_chat->send(text.toStdString(), onToken, &m_cancel);
    });
}

void ChatService::regenerate()
{
    if (!m_chat || m_chat->turns().empty())
        return;
    const int turn = int(m_chat->turns().size()) - 1;
    answer(turn, QString::fromStdString(m_chat->turns().back().user), tr("Regenerate"),
        [&](const ChatTokenCallback &onToken) -> const ChatTurn & {
            return m_chat->regenerate(onToken, &m_cancel);
        });
}

void ChatService::editTurn(int index, const QString &text)
{
    if (!m_chat || index < 0 || std::size_t(index) >= m_chat->turns().size())
        return;
    // The pane drops the turns after `index` when it starts again.
    answer(index, text, tr("Edit turn"), [&](const ChatTokenCallback &onToken) -> const ChatTurn & {
        return m_chat->editUserTurn(std::size_t(index), text.toStdString(), onToken, &m_cancel);
    });
}

void ChatService::clear()
{
    if (m_chat)
        m_chat->restore({}, std::vector<std::uint64_t>(m_chat->models().size(), 0));
    Q_EMIT cleared();
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
        for (const TranscriptModel &tm : t.models) {
            ChatModelSpec spec;
            spec.name = QString::fromStdString(tm.name);
            spec.source = QString::fromStdString(tm.path);
            LoadedModel info;
            ChatModel m = m_loader->load(spec, &info);
            m.sampling = tm.sampling; // as recorded, not the spec's defaults
            m.maxHistoryLen = tm.maxHistoryLen;
            models.push_back(std::move(m));
            loaded.append(info);
        }
        auto session = std::make_unique<ChatSession>(std::move(models));
        t.restoreInto(*session);
        m_chat = std::move(session);
        Q_EMIT modelsLoaded(loaded);
        emitTurns();
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Open transcript"), QString::fromUtf8(e.what()));
    }
}

} // namespace chatbench::ui
