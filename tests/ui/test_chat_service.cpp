// ChatService on the engine thread: a run folder opens at the checkpoint asked for (the loaded
// model names its folder and step), a run training here answers from its current weights
// without a checkpoint being written, and a folder that is no model is refused with the reason.

#include "chat_service.h"
#include "chatbench/run_config.h"
#include "common/small_run.h"
#include "engine_thread.h"
#include "training_runs.h"

#include <QtTest/QtTest>

using namespace chatbench::ui;
using chatbench::CheckpointChoice;

namespace {

// By step: step-9 before step-10.
QStringList checkpointFolders(const QString &run)
{
    QStringList steps = QDir(run + "/checkpoints").entryList({ "step-*" }, QDir::Dirs);
    std::sort(steps.begin(), steps.end(),
        [](const QString &a, const QString &b) { return a.mid(5).toInt() < b.mid(5).toInt(); });
    return steps;
}

ChatModelSpec specOf(const QString &name, const QString &source, CheckpointChoice checkpoint)
{
    ChatModelSpec spec;
    spec.name = name;
    spec.source = source;
    spec.checkpoint = checkpoint;
    spec.maxNewTokens = 5;
    return spec;
}

} // namespace

class TestChatService : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::filesystem::path m_corpus;

    // Loads specs on the engine thread; the models it reports, or the error's text.
    static LoadedModels load(EngineThread &engine, const ChatModelSpecs &specs, QString *error)
    {
        QSignalSpy loaded(engine.chat(), &ChatService::modelsLoaded);
        QSignalSpy errors(engine.chat(), &ChatService::error);
        ChatService *chat = engine.chat();
        QMetaObject::invokeMethod(chat, [chat, specs] { chat->loadModels(specs, {}); });
        if (!QTest::qWaitFor([&] { return loaded.count() + errors.count() > 0; }, 60000))
            return {};
        if (!errors.isEmpty()) {
            *error = errors.first().at(1).toString();
            return {};
        }
        return loaded.first().at(0).value<LoadedModels>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        registerEngineTypes();
        m_corpus = chatbench::test::writeTrainingCorpus(
            std::filesystem::path(m_dir.path().toStdString()) / "corpus.txt", 40, 5);
    }

    void opensARunAtTheChosenCheckpoint()
    {
        const QString run = m_dir.filePath("finished");
        chatbench::test::trainSmallRun(run.toStdString(), "finished", m_corpus, 1);
        const QStringList steps = checkpointFolders(run);
        QVERIFY(!steps.isEmpty());
        EngineThread engine;
        QString error;
        const LoadedModels models = load(engine,
            { specOf("latest", run, {}), specOf("best", run, { CheckpointChoice::Kind::Best }),
                specOf("first", run, CheckpointChoice::parse(steps.first().toStdString())) },
            &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(models.size(), 3);
        QVERIFY(models[0].folder.endsWith("/checkpoints/" + steps.last()));
        QCOMPARE(QString("step-%1").arg(models[0].step), steps.last());
        QVERIFY(models[1].folder.contains("/checkpoints/step-"));
        QCOMPARE(QString("step-%1").arg(models[2].step), steps.first());

        // A step the run does not keep is refused, naming the ones it does.
        load(engine, { specOf("gone", run, CheckpointChoice::atStep(999)) }, &error);
        QVERIFY2(error.contains("step-999") && error.contains(steps.last()), qPrintable(error));
    }

    void answersFromCurrentWeightsWithoutACheckpoint()
    {
        EngineThread engine;
        TrainingRuns *runs = engine.runs();
        QSignalSpy events(runs, &TrainingRuns::trainingEvent);
        const QString run = QFileInfo(m_dir.filePath("live")).absoluteFilePath();
        chatbench::RunConfig c = chatbench::test::smallRunConfig("live", m_corpus, 2);
        c.epochs = 1000;
        c.maxSteps = 1000;
        c.saveEvery = 100000; // no checkpoint of its own within this test
        c.evalEvery = 0;
        const QString json = QString::fromStdString(c.toJsonText());
        QMetaObject::invokeMethod(runs, [runs, run, json] { runs->createRun(run, json); });
        QTRY_VERIFY_WITH_TIMEOUT(events.count() >= 3, 120000);
        QMetaObject::invokeMethod(runs, [runs, run] { runs->pauseRun(run); });

        QString error;
        const LoadedModels models
            = load(engine, { specOf("live", run, { CheckpointChoice::Kind::Current }) }, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(models.size(), 1);
        QCOMPARE(models[0].folder, run);
        QVERIFY(models[0].step >= 1);
        QVERIFY2(checkpointFolders(run).isEmpty(), qPrintable(checkpointFolders(run).join(", ")));

        QSignalSpy finished(engine.chat(), &ChatService::generated);
        QSignalSpy conversation(engine.chat(), &ChatService::conversation);
        ChatService *chat = engine.chat();
        QMetaObject::invokeMethod(chat, [chat] { chat->send(QStringLiteral("你好")); });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(conversation.last().at(0).toInt(), 0); // the turn answered, and what follows
        const auto turns = conversation.last().at(1).value<ChatTurns>();
        QCOMPARE(turns.size(), std::size_t(1));
        QCOMPARE(turns[0].replies.size(), std::size_t(1));
        QVERIFY(checkpointFolders(run).isEmpty());
    }

    void refusesAFolderThatIsNoModel()
    {
        EngineThread engine;
        QString error;
        const QString empty = m_dir.filePath("empty");
        QVERIFY(QDir().mkpath(empty));
        load(engine, { specOf("empty", empty, {}) }, &error);
        QVERIFY2(error.contains(empty) && error.contains("not a model folder"), qPrintable(error));
    }
};

QTEST_MAIN(TestChatService)
#include "test_chat_service.moc"
