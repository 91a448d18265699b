#include "engine_controller.h"

#include "chatbench/chat_session.h" // m_chat's destructor
#include "chatbench/demo_experiment.h"
#include "chatbench/error.h"
#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "chatbench/trainer.h"
#include "chatbench/training_scheduler.h"

#include <QDir>
#include <QFileInfo>
#include <filesystem>

namespace fs = std::filesystem;

namespace chatbench::ui {

void registerEngineTypes()
{
    qRegisterMetaType<chatbench::TrainingEvent>();
    qRegisterMetaType<EventBatch>();
    qRegisterMetaType<RunSummary>();
    qRegisterMetaType<ChatModelSpec>();
    qRegisterMetaType<ChatModelSpecs>();
    qRegisterMetaType<AssembledReportPtr>();
}

namespace {

fs::path toPath(const QString &s)
{
    return fs::path(s.toStdString());
}
QString toQString(const std::string &s)
{
    return QString::fromStdString(s);
}
QString canonical(const QString &dir)
{
    return QFileInfo(dir).absoluteFilePath();
}

QString stateName(TrainerState s)
{
    return QString::fromLatin1(trainerStateName(s)).toLower();
}

} // namespace

EngineController::EngineController(QObject *parent)
    : QObject(parent), m_stepTimer(new QTimer(this)), m_pollTimer(new QTimer(this))
{
    m_stepTimer->setInterval(0);
    connect(m_stepTimer, &QTimer::timeout, this, &EngineController::onTick);
    m_pollTimer->setInterval(500); // 2 Hz: live enough for curves, cheap for big files
    connect(m_pollTimer, &QTimer::timeout, this, &EngineController::pollMetrics);
}

EngineController::~EngineController() = default;

void EngineController::openWorkspace(const QString &dir)
{
    const QDir workspace(dir);
    if (!workspace.exists()) {
        Q_EMIT error(tr("Open workspace"), tr("%1: no such folder").arg(dir));
        return;
    }
    QStringList kept;
    for (auto it = m_readers.begin(); it != m_readers.end();) {
        if (m_trainers.count(it->first)) {
            kept << it->first;
            ++it;
        } else {
            it = m_readers.erase(it);
        }
    }
    Q_EMIT workspaceOpened(workspace.absolutePath(), kept);
    // The workspace folder may itself be a run.
    QStringList runs;
    if (workspace.exists("run.json"))
        runs << workspace.absolutePath();
    for (const QFileInfo &sub :
        workspace.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (QFileInfo::exists(sub.absoluteFilePath() + "/run.json"))
            runs << sub.absoluteFilePath();
    for (const QString &run : runs)
        watchRun(run);
}

void EngineController::watchRun(const QString &dirIn)
{
    const QString dir = canonical(dirIn);
    if (m_readers.count(dir))
        return;
    RunSummary summary;
    summary.dir = dir;
    try {
        summary.name = toQString(RunDirectory::open(toPath(dir)).config().name);
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Open run %1").arg(dir), QString::fromUtf8(e.what()));
        return;
    }
    summary.state = m_trainers.count(dir) ? stateName(m_trainers.at(dir)->state()) : "idle";
    summary.inProcess = m_trainers.count(dir) > 0;
    m_readers[dir] = std::make_unique<MetricsReader>(toPath(dir) / "metrics.jsonl");
    Q_EMIT runFound(summary);
    if (!m_pollTimer->isActive())
        m_pollTimer->start();
    pollMetrics();
}

void EngineController::pollMetrics()
{
    for (auto &[dir, reader] : m_readers) {
        try {
            const auto events = reader->poll();
            if (events.empty() && !reader->restarted())
                continue;
            Q_EMIT metrics(dir, EventBatch(events.begin(), events.end()), reader->restarted());
        } catch (const std::exception &e) {
            Q_EMIT error(tr("Read metrics of %1").arg(dir), QString::fromUtf8(e.what()));
        }
    }
}

Trainer *EngineController::trainer(const QString &dir) const
{
    const auto it = m_trainers.find(canonical(dir));
    return it == m_trainers.end() ? nullptr : it->second;
}

void EngineController::createRun(const QString &dirIn, const QString &runJson)
{
    const QString dir = canonical(dirIn);
    try {
        const fs::path path = toPath(dir);
        const RunConfig config
            = RunConfig::fromJsonText(runJson.toStdString(), path / "run.json", path.parent_path());
        adopt(dir, Trainer::create(config, path));
    } catch (const std::exception &e) {
        Q_EMIT error(tr("New run %1").arg(dir), QString::fromUtf8(e.what()));
    }
}

void EngineController::startDemo(const QString &workspace)
{
    Q_EMIT engineActivity(tr("Demo: preparing the corpora and the base model..."));
    try {
        DemoOptions options;
        options.workspace = toPath(workspace);
        const DemoPlan plan = prepareDemo(options, [this](const TrainingEvent &e) {
            if (e.event == "train" && e.step % 10 == 0)
                Q_EMIT engineActivity(tr("Demo: pretraining the base model, step %1 (%2%), loss %3")
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
        Q_EMIT engineActivity(tr("Demo: training scratch, fine-tuned and GPT-2 + Transformer"));
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Demo"), QString::fromUtf8(e.what()));
    }
}

void EngineController::startRun(const QString &dirIn)
{
    const QString dir = canonical(dirIn);
    if (Trainer *t = trainer(dir)) {
        if (t->canStep() || t->state() == TrainerState::Paused) {
            resumeRun(dir);
            return;
        }
        if (t->state() == TrainerState::Finished)
            return; // nothing left to train
        // Stopped or failed: a stopped trainer never steps again; continue from its checkpoint.
    }
    try {
        adopt(dir, Trainer::resume(toPath(dir)));
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Start run %1").arg(dir), QString::fromUtf8(e.what()));
    }
}

void EngineController::adopt(const QString &dir, std::unique_ptr<Trainer> trainer)
{
    TrainingScheduler *target = nullptr;
    for (const auto &s : m_schedulers)
        if (!s->find(trainer->config().name)) {
            target = s.get();
            break;
        }
    if (!target)
        target = m_schedulers.emplace_back(std::make_unique<TrainingScheduler>()).get();
    Trainer &t = target->add(std::move(trainer));
    t.setCallback([this, dir](const TrainingEvent &e) { Q_EMIT trainingEvent(dir, e); });
    m_trainers[dir] = &t;
    m_lastState.erase(dir);
    watchRun(dir);
    ensureTicking();
}

void EngineController::pauseRun(const QString &dir)
{
    if (Trainer *t = trainer(dir))
        t->pause();
}

void EngineController::resumeRun(const QString &dir)
{
    if (Trainer *t = trainer(dir)) {
        t->unpause();
        ensureTicking();
    } else {
        startRun(dir);
    }
}

void EngineController::stopRun(const QString &dir)
{
    if (Trainer *t = trainer(dir)) {
        t->stop();
        // A paused run takes no step, so it would never reach the boundary where it stops.
        if (t->state() == TrainerState::Paused)
            t->unpause();
        ensureTicking();
    }
}

void EngineController::ensureTicking()
{
    if (!m_stepTimer->isActive())
        m_stepTimer->start();
    reportStates();
}

void EngineController::onTick()
{
    bool stepped = false;
    try {
        for (std::size_t i = 0; i < m_schedulers.size() && !stepped; ++i) {
            const std::size_t s = (m_nextScheduler + i) % m_schedulers.size();
            stepped = m_schedulers[s]->tick();
            if (stepped)
                m_nextScheduler = (s + 1) % m_schedulers.size();
        }
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Training"), QString::fromUtf8(e.what()));
    }
    if (!stepped)
        m_stepTimer->stop();
    reportStates();
}

void EngineController::reportStates()
{
    int running = 0;
    for (const auto &[dir, t] : m_trainers) {
        const QString state = stateName(t->state());
        running += t->canStep() ? 1 : 0;
        if (m_lastState[dir] != state) {
            m_lastState[dir] = state;
            Q_EMIT runStateChanged(dir, state);
        }
    }
    Q_EMIT engineActivity(running ? tr("training %n run(s)", nullptr, running) : tr("idle"));
}

void EngineController::shutdown()
{
    m_cancel = true;
    m_stepTimer->stop();
    m_pollTimer->stop();
    for (auto &[dir, t] : m_trainers) {
        if (!t->canStep())
            continue;
        try {
            t->stop();
            t->step(); // reaches the boundary: writes the checkpoint and the "stopped" event
        } catch (const std::exception &e) {
            qWarning("stopping %s: %s", qPrintable(dir), e.what());
        }
    }
}

} // namespace chatbench::ui
