#pragma once
// The engine thread's chat: one ChatSession over the Chat pane's models, its transcripts saved
// and reopened. Replies stream token by token through signals; cancel() (any thread) stops the
// reply being generated before its next token. Lives on the engine thread (engine_thread.h).

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
    // Replaces the chat's models; the turns so far are kept when the model count is unchanged.
    void loadModels(const chatbench::ui::ChatModelSpecs &specs);
    void send(const QString &text);
    void regenerate();
    // Replaces user turn `index`, drops the turns after it and answers it again.
    void editTurn(int index, const QString &text);
    void clear();
    void saveTranscript(const QString &file, chatbench::TranscriptFormat format);
    void openTranscript(const QString &file);

Q_SIGNALS:
    void modelsLoaded(const chatbench::ui::LoadedModels &models);
    void turnStarted(int turn, const QString &user);
    void token(int turn, int model, const QString &textSoFar);
    void turnFinished(int turn, const QStringList &replies);
    void cleared();
    void transcriptSaved(const QString &file);
    void activity(const QString &what);
    void error(const QString &what, const QString &message);

private:
    void emitTurns();
    template<typename Answer>
    void answer(int turn, const QString &user, const QString &what, Answer &&answer);

    std::shared_ptr<ModelLoader> m_loader;
    std::unique_ptr<chatbench::ChatSession> m_chat;
    std::atomic<bool> m_cancel { false };
};

} // namespace chatbench::ui
