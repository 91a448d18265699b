#pragma once
// The one object that touches the engine from the GUI: it lives on its own QThread (the caller
// moves it there) and owns the training scheduler, the metrics readers of the workspace's runs
// and the chat session with its loaded models. Widgets talk to it only through queued
// signals/slots carrying the plain values of engine_types.h, so nothing slow ever runs on the
// GUI thread.
//
// Training advances one optimizer step per turn of the engine thread's event loop (a
// zero-interval timer), so pause/stop/chat requests queued meanwhile are answered between
// steps. Curves come from each run's metrics.jsonl, followed at 2 Hz, whether this process or
// another machine writes it: one code path, and a resumed run's rewound file is handled by
// MetricsReader::restarted().

#include "engine_types.h"

#include <QObject>
#include <QTimer>
#include <atomic>
#include <map>
#include <memory>
#include <vector>

namespace chatbench {
class ChatSession;
class LanguageModel;
class MetricsReader;
class Tokenizer;
class Trainer;
class TrainingScheduler;
} // namespace chatbench

namespace chatbench::ui {

class EngineController : public QObject
{
    Q_OBJECT

public:
    explicit EngineController(QObject *parent = nullptr);
    ~EngineController() override;

    // Thread-safe (an atomic flag): stops the reply being generated before its next token.
    void cancelChat() { m_cancel = true; }

public Q_SLOTS:
    // Lists the run folders (subfolders with run.json) and follows their metrics. It replaces
    // the runs followed so far, except those training here (they go on and stay listed).
    void openWorkspace(const QString &dir);
    // Follows one more run folder (e.g. one just created elsewhere).
    void watchRun(const QString &dir);
    // A new run from run.json text (RunConfig), created in dir and started.
    void createRun(const QString &dir, const QString &runJson);
    // The built-in demo in workspace: prepares its corpora and base model (the base trains here,
    // on the engine thread, minutes the first time, then comes from the cache), then creates or
    // resumes its three runs and trains them live.
    void startDemo(const QString &workspace);
    // Trains the run in this process, continuing from its latest checkpoint.
    void startRun(const QString &dir);
    void pauseRun(const QString &dir);
    void resumeRun(const QString &dir);
    // Stops at the next step boundary, with a checkpoint.
    void stopRun(const QString &dir);

    // Replaces the chat's models; the turns so far are kept when the model count is unchanged.
    void loadChatModels(const chatbench::ui::ChatModelSpecs &specs);
    void sendChat(const QString &text);
    void regenerateChat();
    // Replaces user turn `index`, drops the turns after it and answers it again.
    void editChatTurn(int index, const QString &text);
    void clearChat();
    // format: "json", "markdown", "table" or "html".
    void saveTranscript(const QString &file, const QString &format);
    void openTranscript(const QString &file);

    // Every selected model answers every prompt (one reply each, seed + prompt index); replies
    // arrive with comparisonReply, metrics with comparisonMetrics.
    void compareModels(const chatbench::ui::ChatModelSpecs &specs, const QStringList &prompts,
        const QStringList &references);

    // Reads the runs' metrics and corpora for the progress report, with the current chat (if it
    // has turns) as the demo transcript; the result arrives with reportPrepared, for the GUI
    // thread to draw and write into dir.
    void prepareReport(const QStringList &runs, const QString &dir);

    // Stops the runs trained here (each with a checkpoint); called before the thread quits.
    void shutdown();

Q_SIGNALS:
    // Before the runs of a newly opened workspace: every run not in `kept` is no longer followed.
    void workspaceOpened(const QString &dir, const QStringList &kept);
    void runFound(const chatbench::ui::RunSummary &run);
    void runStateChanged(const QString &dir, const QString &state);
    // New lines of a run's metrics.jsonl; restarted: replace what was shown for the run.
    void metrics(const QString &dir, const chatbench::ui::EventBatch &events, bool restarted);
    // Every event of the runs trained in this process, as the trainer reports it.
    void trainingEvent(const QString &dir, const chatbench::TrainingEvent &event);
    void engineActivity(const QString &what);

    void chatModelsLoaded(const QStringList &names, const QStringList &checkpoints);
    void chatTurnStarted(int turn, const QString &user);
    void chatToken(int turn, int model, const QString &textSoFar);
    void chatTurnFinished(int turn, const QStringList &replies);
    void chatCleared();
    void transcriptSaved(const QString &file);

    void comparisonReply(int prompt, int model, const QString &reply);
    void comparisonMetrics(int model, double distinct1, double distinct2, double bleu2,
        double bleu4, double meanLength);
    void comparisonFinished();

    void reportPrepared(const QString &dir, const chatbench::ui::AssembledReportPtr &report);

    // what: the action that failed; message: the engine's own text (chatbench::Error).
    void error(const QString &what, const QString &message);

private:
    struct LoadedModel;
    void onTick();
    void pollMetrics();
    void reportStates();
    void ensureTicking();
    chatbench::Trainer *trainer(const QString &dir) const;
    void adopt(const QString &dir, std::unique_ptr<chatbench::Trainer> trainer);
    std::shared_ptr<LoadedModel> loadModel(const ChatModelSpec &spec, QString *checkpoint);
    void emitTurns();

    // TrainingScheduler has no remove(), and names are unique within one: a run started again
    // after it stopped (or two runs sharing a name) goes into the next scheduler; onTick()
    // round-robins over them.
    std::vector<std::unique_ptr<chatbench::TrainingScheduler>> m_schedulers;
    std::size_t m_nextScheduler = 0;
    std::map<QString, chatbench::Trainer *> m_trainers; // run folder -> trainer (in scheduler)
    std::map<QString, QString> m_lastState;
    std::map<QString, std::unique_ptr<chatbench::MetricsReader>> m_readers;
    std::map<std::string, std::shared_ptr<LoadedModel>> m_modelCache; // checkpoint folder ->
    std::unique_ptr<chatbench::ChatSession> m_chat;
    std::atomic<bool> m_cancel { false };
    QTimer *m_stepTimer = nullptr;
    QTimer *m_pollTimer = nullptr;
};

} // namespace chatbench::ui
