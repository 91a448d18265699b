// ComparisonService on the engine thread: two models answer a prompt set with the engine's own
// generateReplies (the same replies the CLI's eval gives for the same seeds), prompt by prompt
// with progress and the checkpoints it opened, the metrics come per model, and a cancel keeps
// whole rows (every model's reply to a prompt) with the metrics over them.

#include "chatbench/model_source.h"
#include "chatbench/tokenizer.h"
#include "comparison_service.h"
#include "engine_thread.h"
#include "model_loader.h"

#include <QtTest/QtTest>
#include <cmath>

using namespace chatbench::ui;

namespace {

const QString kFixture = QStringLiteral(CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh");

ChatModelSpec fixtureSpec(const QString &name, double temperature, quint64 seed)
{
    ChatModelSpec spec;
    spec.name = name;
    spec.source = kFixture;
    spec.temperature = temperature;
    spec.seed = seed;
    spec.maxNewTokens = 6;
    return spec;
}

chatbench::PromptSet promptSet(int dialogues)
{
    const char *lines[] = { "你好", "今天天气很好", "我们去公园吧", "好的", "明天见" };
    chatbench::PromptSet set;
    for (int i = 0; i < dialogues; ++i)
        set.dialogues.push_back({ { lines[i % 5], lines[(i + 1) % 5] }, lines[(i + 2) % 5] });
    set.hasReferences = true;
    return set;
}

} // namespace

class TestComparisonService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { registerEngineTypes(); }

    void answersWithTheEnginesReplies()
    {
        EngineThread engine;
        ComparisonService *comparison = engine.comparison();
        QSignalSpy replies(comparison, &ComparisonService::reply);
        QSignalSpy metrics(comparison, &ComparisonService::metrics);
        QSignalSpy finished(comparison, &ComparisonService::finished);
        QSignalSpy progress(comparison, &ComparisonService::progress);
        QSignalSpy loaded(comparison, &ComparisonService::modelsLoaded);
        const ChatModelSpecs specs { fixtureSpec("sampled", 1.0, 11), fixtureSpec("greedy", 0, 0) };
        const chatbench::PromptSet prompts = promptSet(3);
        QMetaObject::invokeMethod(
            comparison, [comparison, specs, prompts] { comparison->compare(specs, prompts); });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(replies.count(), 6);
        QCOMPARE(metrics.count(), 2);
        QCOMPARE(loaded.count(), 1);
        const auto models = loaded.first().at(0).value<LoadedModels>();
        QCOMPARE(models.size(), 2);
        QCOMPARE(models[1].name, QString("greedy"));
        QCOMPARE(models[1].step, qint64(-1)); // a model folder has no step
        QVERIFY2(models[0].folder.endsWith("tiny-gpt2-zh"), qPrintable(models[0].folder));
        QCOMPARE(progress.count(), 4); // 0 / 3 once loaded, then each prompt
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(progress[i].at(0).toInt(), i);
            QCOMPARE(progress[i].at(1).toInt(), 3);
        }
        // Replies come a row at a time: prompt 0 from both models before prompt 1.
        QCOMPARE(replies[0].at(0).toInt(), 0);
        QCOMPARE(replies[1].at(0).toInt(), 0);
        QCOMPARE(replies[2].at(0).toInt(), 1);
        for (const auto &m : metrics) {
            const auto t = m.at(1).value<chatbench::TextMetrics>();
            QVERIFY(std::isfinite(t.bleu2) && t.distinct1 >= 0 && t.distinct1 <= 1);
        }

        // The first model's replies are generateReplies' for its settings (reply i: seed + i).
        const chatbench::OpenedModel opened = chatbench::openModel(kFixture.toStdString());
        chatbench::ChatModel model;
        model.model = opened.model;
        model.tokenizer = opened.tokenizer;
        model.sampling = samplingOf(specs[0], *opened.tokenizer);
        model.maxHistoryLen = specs[0].maxHistory;
        const auto expected = chatbench::generateReplies(model, prompts.dialogues);
        QCOMPARE(expected.size(), std::size_t(3));
        for (const auto &r : replies)
            if (r.at(1).toInt() == 0)
                QCOMPARE(r.at(2).toString().toStdString(), expected[std::size_t(r.at(0).toInt())]);
    }

    void noReferencesMeansNoBleu()
    {
        EngineThread engine;
        ComparisonService *comparison = engine.comparison();
        QSignalSpy metrics(comparison, &ComparisonService::metrics);
        QSignalSpy finished(comparison, &ComparisonService::finished);
        chatbench::PromptSet prompts = chatbench::parsePromptSet("你好\n明天见\n", "typed");
        QVERIFY(!prompts.hasReferences);
        const ChatModelSpecs specs { fixtureSpec("greedy", 0, 0) };
        QMetaObject::invokeMethod(
            comparison, [comparison, specs, prompts] { comparison->compare(specs, prompts); });
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(metrics.count(), 1);
        QVERIFY(std::isnan(metrics.first().at(1).value<chatbench::TextMetrics>().bleu2));
    }

    void cancelKeepsTheFinishedReplies()
    {
        EngineThread engine;
        ComparisonService *comparison = engine.comparison();
        QSignalSpy replies(comparison, &ComparisonService::reply);
        QSignalSpy metrics(comparison, &ComparisonService::metrics);
        QSignalSpy finished(comparison, &ComparisonService::finished);
        QSignalSpy progress(comparison, &ComparisonService::progress);
        ChatModelSpec slow = fixtureSpec("long", 1.0, 3);
        slow.maxNewTokens = 60;
        const ChatModelSpecs specs { slow, slow };
        const chatbench::PromptSet prompts = promptSet(400);
        QMetaObject::invokeMethod(
            comparison, [comparison, specs, prompts] { comparison->compare(specs, prompts); });
        QTRY_VERIFY_WITH_TIMEOUT(replies.count() >= 2, 60000);
        comparison->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().at(0).toBool(), true);
        // Whole rows only, as many as the progress said; the metrics are over them.
        QVERIFY(replies.count() < 800);
        QCOMPARE(replies.count() % 2, 0);
        QCOMPARE(progress.last().at(0).toInt() * 2, replies.count());
        QCOMPARE(metrics.count(), 2);
    }
};

QTEST_MAIN(TestComparisonService)
#include "test_comparison_service.moc"
