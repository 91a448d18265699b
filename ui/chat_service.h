#pragma once
// The engine thread's chat: one ChatSession over the Chat pane's models, its transcripts saved
// and reopened. The models answer together, token by token in turns, and stream through
// signals; after each change the whole conversation goes back (conversation()). cancel() (any
// thread) stops the replies being generated before their next token. Lives on the engine
// thread (engine_thread.h).

#include "engine_types.h"

#include <QObject>
#include <atomic>
#include <memory>
#include <optional>

namespace chatbench {
class ChatSession;
} // namespace chatbench

namespace chatbench::ui {

class ModelLoader;

class ChatService : public QObject
{
    Q_OBJECT

public:
    explicit ChatService(std::shared_ptr<ModelLoader> loader, QObject *parent = nullptr);
    ~ChatService() override;

    // Thread-safe (an atomic flag).
    void cancel() { m_cancel = true; }
    // On the engine thread only: the conversation so far, if it has turns (the report's demo).
    std::optional<chatbench::Transcript> transcript() const;

public Q_SLOTS:
    // Replaces the chat's models. keep[i] is the model (index in the current session) whose
    // replies model i takes over, or -1 for a new model, which then answers the conversation so
    // far, turn by turn. When a spec cannot be opened nothing changes: modelsRefused() names
    // every spec that failed and why.
    void loadModels(const chatbench::ui::ChatModelSpecs &specs, const QVector<int> &keep);
    void send(const QString &text);
    // New replies to the last turn, kept beside the earlier ones as versions.
    void regenerate();
    // Replaces user turn `index`, drops the turns after it and answers it again.
    void editTurn(int index, const QString &text);
    void showVersion(int turn, int model, int version);
    void clear();
    void saveTranscript(const QString &file, chatbench::TranscriptFormat format);
    void openTranscript(const QString &file);

Q_SIGNALS:
    // A transcript was opened: the columns it needs, with the settings it recorded (then
    // modelsLoaded and conversation follow).
    void opened(const chatbench::ui::ChatModelSpecs &specs);
    void modelsLoaded(const chatbench::ui::LoadedModels &models);
    void modelsRefused(const QVector<int> &specs, const QStringList &reasons);
    // Models `models` start answering turn `turn` (user: its text).
    void replying(int turn, const QString &user, const QVector<int> &models);
    // A column's text so far: at its first token, then at most every 25 ms, and at the end.
    void token(int turn, int model, const QString &textSoFar);
    // The conversation as the session holds it from turn `from` on, after every change; the
    // turns before it are as they were. A reply sends only its own turn, so a long chat does
    // not copy its whole history across threads at every turn.
    void conversation(int from, const chatbench::ui::ChatTurns &turns);
    // The generation that replying() began is over (finished, stopped or failed).
    void generated(int turn);
    void transcriptSaved(const QString &file);
    void activity(const QString &what);
    void error(const QString &what, const QString &message);

private:
    void emitConversation(int from = 0);
    QVector<int> allModels() const;
    void catchUp();
    template<typename Answer>
    void answer(int turn, const QString &user, const QVector<int> &models, const QString &what,
        Answer &&answer);

    std::shared_ptr<ModelLoader> m_loader;
    std::unique_ptr<chatbench::ChatSession> m_chat;
    std::atomic<bool> m_cancel { false };
};

} // namespace chatbench::ui
