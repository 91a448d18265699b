// The EngineController on its own thread trains a run it creates (events and states arrive as
// queued signals), pauses and stops one with a checkpoint, and reports a bad run.json with the
// engine's message.

#include "chatbench/run_config.h"
#include "engine_controller.h"

#include <QThread>
#include <QtTest/QtTest>
#include <fstream>

using namespace chatbench::ui;

namespace {

// Enough short dialogues for a few batches and a validation set.
QString writeCorpus(const QTemporaryDir &dir)
{
    const QString file = dir.filePath("corpus.txt");
    std::ofstream out(file.toStdString());
    const char *lines[] = { "你好", "今天天气很好", "我们去公园吧", "好的", "明天见", "谢谢你" };
    for (int d = 0; d < 60; ++d) {
        for (int u = 0; u < 3; ++u)
            out << lines[(d + u) % 6] << "\n";
        out << "\n";
    }
    return file;
}

QString runJson(const QString &corpus, std::int64_t maxSteps)
{
    chatbench::RunConfig c;
    c.name = "gui-test";
    c.corpus = corpus.toStdString();
    c.tokenizer = CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh";
    c.preset = "tiny";
    c.maxLen = 32;
    c.maxSteps = maxSteps;
    c.batchSize = 4;
    c.gradAccum = 1;
    c.validCount = 8;
    c.evalEvery = 2;
    c.warmupSteps = 2;
    c.threads = 1;
    return QString::fromStdString(c.toJsonText());
}

} // namespace

class TestEngineController : public QObject
{
    Q_OBJECT

    QThread m_thread;
    EngineController *m_engine = nullptr;

private Q_SLOTS:
    void init()
    {
        registerEngineTypes();
        m_engine = new EngineController;
        m_engine->moveToThread(&m_thread);
        connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
        m_thread.start();
    }

    void cleanup()
    {
        QMetaObject::invokeMethod(
            m_engine, &EngineController::shutdown, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    void trainsACreatedRunToTheEnd()
    {
        QTemporaryDir dir;
        const QString corpus = writeCorpus(dir);
        QSignalSpy states(m_engine, &EngineController::runStateChanged);
        QSignalSpy events(m_engine, &EngineController::trainingEvent);
        QSignalSpy metrics(m_engine, &EngineController::metrics);
        QSignalSpy errors(m_engine, &EngineController::error);
        const QString run = dir.filePath("run");
        const QString json = runJson(corpus, 4);
        QMetaObject::invokeMethod(m_engine, [e = m_engine, run, json] { e->createRun(run, json); });
        QTRY_VERIFY_WITH_TIMEOUT(errors.count() > 0
                || std::any_of(states.begin(), states.end(),
                    [](const QList<QVariant> &s) { return s.at(1).toString() == "finished"; }),
            120000);
        QVERIFY2(
            errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(1).toString()));
        int trains = 0, valids = 0;
        for (const auto &e : events) {
            const auto ev = e.at(1).value<chatbench::TrainingEvent>();
            trains += ev.event == "train";
            valids += ev.event == "valid";
        }
        QCOMPARE(trains, 4);
        QVERIFY(valids >= 2);
        // The same events reach the curves through metrics.jsonl.
        QTRY_VERIFY(std::accumulate(metrics.begin(), metrics.end(), 0,
                        [](int n, const QList<QVariant> &m) {
                            return n + int(m.at(1).value<EventBatch>().size());
                        })
            >= trains + valids);
        QVERIFY(QDir(run + "/checkpoints/step-4").exists());

        // Chat with the run's best checkpoint: the run folder resolves to checkpoints/step-N.
        ChatModelSpec spec;
        spec.name = "gui-test";
        spec.source = run;
        spec.checkpoint = "best";
        spec.maxNewTokens = 5;
        QSignalSpy loaded(m_engine, &EngineController::chatModelsLoaded);
        QSignalSpy finished(m_engine, &EngineController::chatTurnFinished);
        const ChatModelSpecs specs { spec };
        QMetaObject::invokeMethod(m_engine, [e = m_engine, specs] {
            e->loadChatModels(specs);
            e->sendChat(QStringLiteral("你好"));
        });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY2(
            errors.isEmpty(), errors.isEmpty() ? "" : qPrintable(errors.first().at(1).toString()));
        QVERIFY(loaded.first().at(1).toStringList().first().contains("/checkpoints/step-"));
    }

    void pausesAndStopsWithACheckpoint()
    {
        QTemporaryDir dir;
        const QString corpus = writeCorpus(dir);
        QSignalSpy states(m_engine, &EngineController::runStateChanged);
        QSignalSpy events(m_engine, &EngineController::trainingEvent);
        const QString run = QFileInfo(dir.filePath("run")).absoluteFilePath();
        const QString json = runJson(corpus, 1000);
        QMetaObject::invokeMethod(m_engine, [e = m_engine, run, json] { e->createRun(run, json); });
        QTRY_VERIFY_WITH_TIMEOUT(events.count() >= 1, 120000);
        QMetaObject::invokeMethod(m_engine, [e = m_engine, run] { e->pauseRun(run); });
        QTRY_VERIFY_WITH_TIMEOUT(states.last().at(1).toString() == "paused", 60000);
        const int eventsWhenPaused = int(events.count());
        QTest::qWait(300);
        QCOMPARE(int(events.count()), eventsWhenPaused); // no step while paused
        QMetaObject::invokeMethod(m_engine, [e = m_engine, run] { e->stopRun(run); });
        QTRY_VERIFY_WITH_TIMEOUT(states.last().at(1).toString() == "stopped", 60000);
        QVERIFY(!QDir(run + "/checkpoints").entryList({ "step-*" }, QDir::Dirs).isEmpty());

        // Chat with the current weights of a run training here: a checkpoint is written now.
        ChatModelSpec spec;
        spec.name = "live";
        spec.source = run;
        spec.checkpoint = "now";
        spec.maxNewTokens = 3;
        const ChatModelSpecs specs { spec };
        QSignalSpy loaded(m_engine, &EngineController::chatModelsLoaded);

        // Start again: the run continues from its checkpoint (Trainer::resume) and steps on.
        const int eventsWhenStopped = int(events.count());
        QMetaObject::invokeMethod(m_engine, [e = m_engine, run] { e->startRun(run); });
        QTRY_VERIFY_WITH_TIMEOUT(events.count() > eventsWhenStopped + 1, 120000);
        QTRY_VERIFY(states.last().at(1).toString() == "running");
        bool resumed = false;
        for (int i = eventsWhenStopped; i < events.count(); ++i)
            resumed |= events.at(i).at(1).value<chatbench::TrainingEvent>().event == "resume";
        QVERIFY(resumed);
        QMetaObject::invokeMethod(m_engine, [e = m_engine, specs] { e->loadChatModels(specs); });
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
        const QString checkpoint = loaded.first().at(1).toStringList().first();
        QVERIFY2(QFileInfo::exists(checkpoint + "/config.json"), qPrintable(checkpoint));
    }

    void reportsABadRunWithTheEnginesMessage()
    {
        QTemporaryDir dir;
        QSignalSpy errors(m_engine, &EngineController::error);
        const QString run = dir.filePath("bad");
        QMetaObject::invokeMethod(m_engine,
            [e = m_engine, run] { e->createRun(run, R"({"name": "bad", "trian": {}})"); });
        QTRY_COMPARE(errors.count(), 1);
        QVERIFY2(errors.first().at(1).toString().contains("trian"),
            qPrintable(errors.first().at(1).toString()));
    }
};

QTEST_MAIN(TestEngineController)
#include "test_engine_controller.moc"
