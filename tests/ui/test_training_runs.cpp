// TrainingRuns on its own thread trains a run it creates (events and typed states arrive as
// queued signals), pauses and stops one with a checkpoint and starts it again from there, frees
// the trainers of ended runs, and reports a bad run.json with the engine's message.

#include "chatbench/run_config.h"
#include "common/small_run.h"
#include "training_runs.h"

#include <QThread>
#include <QtTest/QtTest>
#include <numeric>

using namespace chatbench::ui;
using chatbench::EventKind;
using chatbench::RunState;

namespace {

QString runJson(const std::filesystem::path &corpus, std::int64_t maxSteps)
{
    chatbench::RunConfig c = chatbench::test::smallRunConfig("gui-test", corpus, 7);
    c.maxSteps = maxSteps;
    c.epochs = 1000; // maxSteps ends it
    c.validCount = 8;
    c.evalEvery = 2;
    return QString::fromStdString(c.toJsonText());
}

bool reached(const QSignalSpy &states, RunState state)
{
    return std::any_of(states.begin(), states.end(),
        [state](const QList<QVariant> &s) { return s.at(1).value<RunState>() == state; });
}

int countEvents(const QSignalSpy &events, EventKind kind, int from = 0)
{
    int n = 0;
    for (int i = from; i < events.count(); ++i)
        n += events.at(i).at(1).value<chatbench::TrainingEvent>().event == kind;
    return n;
}

} // namespace

class TestTrainingRuns : public QObject
{
    Q_OBJECT

    QThread m_thread;
    TrainingRuns *m_runs = nullptr;
    QTemporaryDir m_dir;
    std::filesystem::path m_corpus;

    chatbench::Trainer *trainerNow(const QString &dir)
    {
        chatbench::Trainer *t = nullptr;
        QMetaObject::invokeMethod(
            m_runs, [&] { t = m_runs->trainer(dir); }, Qt::BlockingQueuedConnection);
        return t;
    }

private Q_SLOTS:
    void initTestCase()
    {
        registerEngineTypes();
        m_corpus = chatbench::test::writeTrainingCorpus(
            std::filesystem::path(m_dir.path().toStdString()) / "corpus.txt", 60, 3);
    }

    void init()
    {
        m_runs = new TrainingRuns(chatbench::HubSettings {});
        m_runs->moveToThread(&m_thread);
        connect(&m_thread, &QThread::finished, m_runs, &QObject::deleteLater);
        m_thread.start();
    }

    void cleanup()
    {
        QMetaObject::invokeMethod(m_runs, &TrainingRuns::shutdown, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    void trainsACreatedRunToTheEndAndFreesIt()
    {
        QSignalSpy states(m_runs, &TrainingRuns::runStateChanged);
        QSignalSpy events(m_runs, &TrainingRuns::trainingEvent);
        QSignalSpy metrics(m_runs, &TrainingRuns::metrics);
        QSignalSpy errors(m_runs, &TrainingRuns::error);
        const QString run = m_dir.filePath("finished");
        const QString json = runJson(m_corpus, 4);
        QMetaObject::invokeMethod(m_runs, [r = m_runs, run, json] { r->createRun(run, json); });
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0 || reached(states, RunState::Finished), 120000);
        QVERIFY2(
            errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(1).toString()));
        QVERIFY(reached(states, RunState::Running));
        QCOMPARE(countEvents(events, EventKind::Train), 4);
        QVERIFY(countEvents(events, EventKind::Valid) >= 2);
        // The same events reach the curves through metrics.jsonl.
        QTRY_VERIFY(std::accumulate(metrics.begin(), metrics.end(), 0,
                        [](int n, const QList<QVariant> &m) {
                            return n + int(m.at(1).value<EventBatch>().size());
                        })
            >= 4 + 2);
        QVERIFY(QDir(run + "/checkpoints/step-4").exists());
        // A finished run's trainer (model, optimizer, data) is freed.
        QCOMPARE(trainerNow(run), nullptr);
    }

    void pausesStopsAndStartsAgainFromTheCheckpoint()
    {
        QSignalSpy states(m_runs, &TrainingRuns::runStateChanged);
        QSignalSpy events(m_runs, &TrainingRuns::trainingEvent);
        const QString run = QFileInfo(m_dir.filePath("stopped")).absoluteFilePath();
        const QString json = runJson(m_corpus, 1000);
        QMetaObject::invokeMethod(m_runs, [r = m_runs, run, json] { r->createRun(run, json); });
        QTRY_VERIFY_WITH_TIMEOUT(events.count() >= 1, 120000);
        QMetaObject::invokeMethod(m_runs, [r = m_runs, run] { r->pauseRun(run); });
        QTRY_VERIFY_WITH_TIMEOUT(states.last().at(1).value<RunState>() == RunState::Paused, 60000);
        QVERIFY(trainerNow(run)); // a paused run keeps its trainer
        const int eventsWhenPaused = int(events.count());
        QTest::qWait(300);
        QCOMPARE(int(events.count()), eventsWhenPaused); // no step while paused
        QMetaObject::invokeMethod(m_runs, [r = m_runs, run] { r->stopRun(run); });
        QTRY_VERIFY_WITH_TIMEOUT(states.last().at(1).value<RunState>() == RunState::Stopped, 60000);
        QVERIFY(!QDir(run + "/checkpoints").entryList({ "step-*" }, QDir::Dirs).isEmpty());
        QCOMPARE(trainerNow(run), nullptr); // stopped: freed

        // Start again: a new trainer continues from the checkpoint and steps on.
        const int eventsWhenStopped = int(events.count());
        QMetaObject::invokeMethod(m_runs, [r = m_runs, run] { r->startRun(run); });
        QTRY_VERIFY_WITH_TIMEOUT(events.count() > eventsWhenStopped + 1, 120000);
        QTRY_VERIFY(states.last().at(1).value<RunState>() == RunState::Running);
        QCOMPARE(countEvents(events, EventKind::Resume, eventsWhenStopped), 1);
        QVERIFY(trainerNow(run));
    }

    void reportsABadRunWithTheEnginesMessage()
    {
        QSignalSpy errors(m_runs, &TrainingRuns::error);
        const QString run = m_dir.filePath("bad");
        QMetaObject::invokeMethod(
            m_runs, [r = m_runs, run] { r->createRun(run, R"({"name": "bad", "trian": {}})"); });
        QTRY_COMPARE(errors.count(), 1);
        QVERIFY2(errors.first().at(1).toString().contains("trian"),
            qPrintable(errors.first().at(1).toString()));
    }
};

QTEST_MAIN(TestTrainingRuns)
#include "test_training_runs.moc"
