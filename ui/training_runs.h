#pragma once
// The engine thread's service for the workspace and its runs: it lists the run folders, follows
// their metrics.jsonl at 2 Hz (whoever writes them: one code path for runs trained here and runs
// another machine trains), and trains the runs started here, interleaved one optimizer step per
// turn of the thread's event loop, so requests queued meanwhile (pause, stop, chat) are answered
// between steps. Lives on the engine thread (engine_thread.h); talk to it by queued calls.

#include "chatbench/trainer.h"
#include "engine_types.h"

#include <QDateTime>
#include <QObject>
#include <QTimer>
#include <map>
#include <memory>

namespace chatbench {
class MetricsReader;
class Trainer;
class TrainingScheduler;
} // namespace chatbench

namespace chatbench::ui {

class TrainingRuns : public QObject
{
    Q_OBJECT

public:
    // hub: where run.json's repo ids are looked up (the Hugging Face cache).
    explicit TrainingRuns(chatbench::HubSettings hub, QObject *parent = nullptr);
    ~TrainingRuns() override;

    // On the engine thread only: the trainer of a run training here, or null. For the chat
    // service's current weights.
    chatbench::Trainer *trainer(const QString &dir) const;

public Q_SLOTS:
    // Lists the run folders (subfolders with run.json; dir itself when it is a run; else those
    // in dir/runs, the demo's layout) and follows their metrics. It replaces the runs followed
    // so far, except those training here (they go on and stay listed).
    void openWorkspace(const QString &dir);
    // Follows one more run folder (e.g. one just created elsewhere).
    void watchRun(const QString &dir);
    // A new run from run.json text (RunConfig), created in dir and started.
    void createRun(const QString &dir, const QString &runJson);
    // The built-in demo in workspace: prepares its corpora and base model (the base trains here,
    // minutes the first time, then comes from the cache), then creates or resumes its three runs
    // and trains them live.
    void startDemo(const QString &workspace);
    // Trains the run in this process, continuing from its latest checkpoint.
    void startRun(const QString &dir);
    void pauseRun(const QString &dir);
    void resumeRun(const QString &dir);
    // Stops at the next step boundary, with a checkpoint.
    void stopRun(const QString &dir);
    // Stops the runs trained here (each with a checkpoint); called before the thread quits.
    void shutdown();

Q_SIGNALS:
    // Before the runs of a newly opened workspace: every run not in `kept` is no longer followed.
    // dir: the folder the runs were found in (requested/runs for the demo's layout); runs: how
    // many were found (0: none, in the requested folder or its runs/).
    void workspaceOpened(const QString &dir, const QStringList &kept, int runs);
    void runFound(const chatbench::ui::RunSummary &run);
    void runStateChanged(const QString &dir, chatbench::RunState state);
    // New lines of a run's metrics.jsonl; restarted: replace what was shown for the run.
    void metrics(const QString &dir, const chatbench::ui::EventBatch &events, bool restarted);
    // A run's probe replies (its probes.jsonl, whoever writes it), whole, each time it changes.
    void probes(const QString &dir, const chatbench::ui::ProbeReplies &replies);
    // Every event of the runs trained in this process, as the trainer reports it.
    void trainingEvent(const QString &dir, const chatbench::TrainingEvent &event);
    void activity(const QString &what);
    // what: the action that failed; message: the engine's own text (chatbench::Error).
    void error(const QString &what, const QString &message);

private:
    void onTick();
    void pollMetrics();
    void reportSkippedLines(const QString &dir, const chatbench::MetricsReader &reader);
    void pollProbes(const QString &dir);
    void reportStates();
    void ensureTicking();
    void adopt(const QString &dir, std::unique_ptr<chatbench::Trainer> trainer);

    chatbench::TrainerOptions m_options;
    std::unique_ptr<chatbench::TrainingScheduler> m_scheduler;
    std::map<QString, chatbench::RunState> m_lastState; // runs trained here
    std::map<QString, std::unique_ptr<chatbench::MetricsReader>> m_readers;
    std::map<QString, std::uint64_t> m_reportedSkips; // malformed lines already said
    struct ProbeFile
    {
        qint64 size = -1;
        QDateTime modified;
        int reportedWarnings = 0;
    };
    std::map<QString, ProbeFile> m_probeFiles; // as last read, per followed run
    QTimer *m_stepTimer = nullptr;
    QTimer *m_pollTimer = nullptr;
};

} // namespace chatbench::ui
