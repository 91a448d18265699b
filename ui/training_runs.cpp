#include "training_runs.h"

#include "chatbench/demo_experiment.h"
#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "chatbench/trainer.h"
#include "chatbench/training_scheduler.h"

#include <QDir>
#include <QFileInfo>
#include <filesystem>

namespace fs = std::filesystem;

namespace chatbench::ui {

namespace {

fs::path toPath(const QString &s)
{
    return fs::path(s.toStdString());
}

QString canonical(const QString &dir)
{
    return QFileInfo(dir).absoluteFilePath();
}

} // namespace

TrainingRuns::TrainingRuns(HubSettings hub, QObject *parent)
    : QObject(parent), m_scheduler(std::make_unique<TrainingScheduler>()),
      m_stepTimer(new QTimer(this)), m_pollTimer(new QTimer(this))
{
    m_options.hub = std::move(hub);
    m_stepTimer->setInterval(0);
    connect(m_stepTimer, &QTimer::timeout, this, &TrainingRuns::onTick);
    m_pollTimer->setInterval(500); // 2 Hz: live enough for curves, cheap for big files
    connect(m_pollTimer, &QTimer::timeout, this, &TrainingRuns::pollMetrics);
}

TrainingRuns::~TrainingRuns() = default;

Trainer *TrainingRuns::trainer(const QString &dir) const
{
    return m_scheduler->find(toPath(canonical(dir)));
}

void TrainingRuns::openWorkspace(const QString &dir)
{
    const QDir workspace(dir);
    if (!workspace.exists()) {
        Q_EMIT error(tr("Open workspace"), tr("%1: no such folder").arg(dir));
        return;
    }
    QStringList kept;
    for (auto it = m_readers.begin(); it != m_readers.end();) {
        if (trainer(it->first)) {
            kept << it->first;
            ++it;
        } else {
            m_reportedSkips.erase(it->first);
            m_probeFiles.erase(it->first);
            it = m_readers.erase(it);
        }
    }
    // The workspace folder may itself be a run; the demo keeps its runs in runs/.
    const auto runsIn = [](const QDir &folder) {
        QStringList runs;
        if (folder.exists("run.json"))
            runs << folder.absolutePath();
        for (const QFileInfo &sub :
            folder.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            if (QFileInfo::exists(sub.absoluteFilePath() + "/run.json"))
                runs << sub.absoluteFilePath();
        return runs;
    };
    QDir found = workspace;
    QStringList runs = runsIn(found);
    if (runs.isEmpty() && workspace.exists("runs")) {
        found = QDir(workspace.filePath("runs"));
        runs = runsIn(found);
        if (runs.isEmpty())
            found = workspace;
    }
    Q_EMIT workspaceOpened(found.absolutePath(), kept, int(runs.size()));
    for (const QString &run : runs)
        watchRun(run);
}

void TrainingRuns::watchRun(const QString &dirIn)
{
    const QString dir = canonical(dirIn);
    if (m_readers.count(dir))
        return;
    RunSummary summary;
    summary.dir = dir;
    try {
        summary.name = QString::fromStdString(RunDirectory::open(toPath(dir)).config().name);
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Open run %1").arg(dir), QString::fromUtf8(e.what()));
        return;
    }
    if (const Trainer *t = trainer(dir)) {
        summary.state = t->state();
        summary.inProcess = true;
    }
    m_readers[dir] = std::make_unique<MetricsReader>(toPath(dir) / "metrics.jsonl");
    Q_EMIT runFound(summary);
    if (!m_pollTimer->isActive())
        m_pollTimer->start();
    pollMetrics();
}

void TrainingRuns::pollMetrics()
{
    for (auto &[dir, reader] : m_readers) {
        try {
            const auto events = reader->poll();
            reportSkippedLines(dir, *reader);
            if (!events.empty() || reader->restarted())
                Q_EMIT metrics(dir, EventBatch(events.begin(), events.end()), reader->restarted());
        } catch (const std::exception &e) {
            Q_EMIT error(tr("Read metrics of %1").arg(dir), QString::fromUtf8(e.what()));
        }
        pollProbes(dir);
    }
}

void TrainingRuns::pollProbes(const QString &dir)
{
    const QFileInfo info(QDir(dir).filePath("probes.jsonl"));
    ProbeFile &seen = m_probeFiles[dir];
    const qint64 size = info.exists() ? info.size() : -1;
    if (size == seen.size && info.lastModified() == seen.modified)
        return;
    seen.size = size;
    seen.modified = info.lastModified();
    try {
        const ProbeLog log = readProbeLog(toPath(dir) / "probes.jsonl");
        Q_EMIT probes(dir, ProbeReplies(log.replies.begin(), log.replies.end()));
        // A malformed line is left out of the panel; it is said once, not at every change.
        const int malformed = int(log.warnings.size());
        if (malformed > seen.reportedWarnings)
            Q_EMIT error(tr("Read probe replies of %1").arg(dir),
                tr("%n malformed line(s) left out, the last: %1", nullptr,
                    malformed - seen.reportedWarnings)
                    .arg(QString::fromStdString(log.warnings.back())));
        seen.reportedWarnings = malformed;
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Read probe replies of %1").arg(dir), QString::fromUtf8(e.what()));
    }
}

void TrainingRuns::reportSkippedLines(const QString &dir, const MetricsReader &reader)
{
    // A malformed line is left out of the curves; it is said once, not at every poll.
    std::uint64_t &reported = m_reportedSkips[dir];
    const std::uint64_t skipped = reader.skippedLines();
    if (skipped < reported) // the file was rewound
        reported = skipped;
    if (skipped == reported)
        return;
    const auto &warnings = reader.warnings();
    Q_EMIT error(tr("Read metrics of %1").arg(dir),
        tr("%n malformed line(s) left out of the curves, the last: %1", nullptr,
            int(skipped - reported))
            .arg(warnings.empty() ? tr("(no detail)") : QString::fromStdString(warnings.back())));
    reported = skipped;
}

void TrainingRuns::createRun(const QString &dirIn, const QString &runJson)
{
    const QString dir = canonical(dirIn);
    try {
        const fs::path path = toPath(dir);
        const RunConfig config
            = RunConfig::fromJsonText(runJson.toStdString(), path / "run.json", path.parent_path());
        adopt(dir, Trainer::create(config, path, m_options));
    } catch (const std::exception &e) {
        Q_EMIT error(tr("New run %1").arg(dir), QString::fromUtf8(e.what()));
    }
}

void TrainingRuns::startDemo(const QString &workspace)
{
    Q_EMIT activity(tr("Demo: preparing the corpora and the base model..."));
    try {
        DemoOptions options;
        options.workspace = toPath(workspace);
        const DemoPlan plan = prepareDemo(options, [this](const TrainingEvent &e) {
            if (e.event == EventKind::Train && e.step % 10 == 0)
                Q_EMIT activity(tr("Demo: pretraining the base model, step %1 (%2%), loss %3")
                                    .arg(e.step)
                                    .arg(int(100 * e.progress))
                                    .arg(e.loss, 0, 'f', 3));
        });
        for (std::size_t i = 0; i < plan.runs.size(); ++i) {
            const QString dir = QString::fromStdString(plan.runDirs[i].string());
            if (QFileInfo::exists(dir + "/run.json"))
                startRun(dir);
            else
                createRun(dir, QString::fromStdString(plan.runs[i].toJsonText()));
        }
        Q_EMIT activity(tr("Demo: training scratch, fine-tuned and GPT-2 + Transformer"));
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Demo"), QString::fromUtf8(e.what()));
    }
}

void TrainingRuns::startRun(const QString &dirIn)
{
    const QString dir = canonical(dirIn);
    if (trainer(dir)) { // training or paused here; ended trainers are freed (reportStates)
        resumeRun(dir);
        return;
    }
    // A new trainer continues from the latest checkpoint; a finished run's ends at once.
    try {
        adopt(dir, Trainer::resume(toPath(dir), m_options));
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Start run %1").arg(dir), QString::fromUtf8(e.what()));
    }
}

void TrainingRuns::adopt(const QString &dir, std::unique_ptr<Trainer> trainer)
{
    Trainer &t = m_scheduler->add(std::move(trainer));
    t.setCallback([this, dir](const TrainingEvent &e) { Q_EMIT trainingEvent(dir, e); });
    m_lastState.erase(dir);
    watchRun(dir);
    ensureTicking();
}

void TrainingRuns::pauseRun(const QString &dir)
{
    if (Trainer *t = trainer(dir))
        t->pause();
}

void TrainingRuns::resumeRun(const QString &dir)
{
    if (Trainer *t = trainer(dir)) {
        t->unpause();
        ensureTicking();
    } else {
        startRun(dir);
    }
}

void TrainingRuns::stopRun(const QString &dir)
{
    if (Trainer *t = trainer(dir)) {
        t->stop();
        // A paused run takes no step, so it would never reach the boundary where it stops.
        if (t->state() == RunState::Paused)
            t->unpause();
        ensureTicking();
    }
}

void TrainingRuns::ensureTicking()
{
    if (!m_stepTimer->isActive())
        m_stepTimer->start();
    reportStates();
}

void TrainingRuns::onTick()
{
    bool stepped = false;
    try {
        stepped = m_scheduler->tick();
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Training"), QString::fromUtf8(e.what()));
    }
    if (!stepped)
        m_stepTimer->stop();
    reportStates();
}

void TrainingRuns::reportStates()
{
    int running = 0;
    std::vector<std::filesystem::path> ended;
    for (Trainer *t : m_scheduler->runs()) {
        const QString dir = canonical(QString::fromStdString(t->directory().path().string()));
        running += t->canStep() ? 1 : 0;
        const RunState state = t->state();
        const auto it = m_lastState.find(dir);
        if (it == m_lastState.end() || it->second != state) {
            m_lastState[dir] = state;
            Q_EMIT runStateChanged(dir, state);
        }
        // An ended run's trainer holds its model, optimizer and data for nothing: free them.
        // Starting it again resumes from its checkpoint with a new trainer.
        if (state == RunState::Finished || state == RunState::Stopped || state == RunState::Failed)
            ended.push_back(t->directory().path());
    }
    for (const auto &dir : ended) {
        m_scheduler->remove(dir);
        m_lastState.erase(canonical(QString::fromStdString(dir.string())));
    }
    Q_EMIT activity(running ? tr("training %n run(s)", nullptr, running) : tr("idle"));
}

void TrainingRuns::shutdown()
{
    m_stepTimer->stop();
    m_pollTimer->stop();
    for (Trainer *t : m_scheduler->runs()) {
        if (!t->canStep())
            continue;
        try {
            t->stop();
            t->step(); // reaches the boundary: writes the checkpoint and the "stopped" event
        } catch (const std::exception &e) {
            qWarning("stopping %s: %s", t->directory().path().c_str(), e.what());
        }
    }
}

} // namespace chatbench::ui
