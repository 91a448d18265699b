// Training runs end to end: loss falls, resume continues exactly, NaN steps are skipped and
// then stop the run, fine-tuning starts ahead of scratch, interleaved runs equal lone ones,
// checkpoints and metrics on disk are what a viewer expects.

#include "chatbench/error.h"
#include "chatbench/evaluation.h"
#include "chatbench/language_model.h"
#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "chatbench/sampling.h"
#include "chatbench/trainer.h"
#include "chatbench/training_scheduler.h"
#include "common/errors.h"
#include "common/training_corpus.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace chatbench;
namespace fs = std::filesystem;

namespace {

RunConfig smallConfig(const fs::path &corpus, const std::string &name)
{
    RunConfig c;
    c.name = name;
    c.corpus = corpus.string();
    c.tokenizer = test::tinyGpt2Dir().string();
    c.preset = "tiny";
    c.nLayer = 2;
    c.nHead = 2;
    c.nEmbd = 32;
    c.nPositions = 64;
    c.maxLen = 64;
    c.batchSize = 8;
    c.gradAccum = 2;
    c.lr = 3e-3;
    c.warmupSteps = 5;
    c.maxSteps = 40;
    c.validCount = 20;
    c.evalEvery = 10;
    c.saveEvery = 10;
    c.threads = 1;
    return c;
}

std::vector<TrainingEvent> trainEvents(const fs::path &runDir)
{
    MetricsReader reader(runDir / "metrics.jsonl");
    std::vector<TrainingEvent> out;
    for (auto &e : reader.poll())
        if (e.event == EventKind::Train)
            out.push_back(e);
    return out;
}

// The mean loss of the last 5 steps is more than 1 nat below that of the first 5.
void verifyLossFell(const std::vector<TrainingEvent> &train)
{
    double first = 0, last = 0;
    for (std::size_t i = 0; i < 5; ++i) {
        first += train[i].loss / 5;
        last += train[train.size() - 1 - i].loss / 5;
    }
    QVERIFY2(last < first - 1.0, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
}

std::vector<float> lastLogits(const fs::path &checkpoint)
{
    auto model = LanguageModel::load(checkpoint);
    return model.score({ 101, 700 % 600, 300, 301, 302 }).lastLogits;
}

} // namespace

class TestTrainer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path m_corpus;
    fs::path path(const char *name) const { return fs::path(m_dir.path().toStdString()) / name; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_corpus = test::writeTrainingCorpus(path("corpus.txt"), 300, 7);
    }

    void lossFallsAndRunFolderIsComplete()
    {
        auto trainer = Trainer::create(smallConfig(m_corpus, "falls"), path("falls"));
        std::vector<TrainingEvent> events;
        trainer->setCallback([&](const TrainingEvent &e) { events.push_back(e); });
        trainer->run();
        QCOMPARE(trainer->state(), RunState::Finished);
        QCOMPARE(trainer->currentStep(), std::int64_t(40));

        const auto train = trainEvents(path("falls"));
        QCOMPARE(train.size(), std::size_t(40));
        verifyLossFell(train);
        QCOMPARE(train.back().step, std::int64_t(40));
        QVERIFY(train.back().tokens > train.front().tokens);
        QVERIFY(train.back().acc > train.front().acc);

        // The callback saw what metrics.jsonl holds, validation included.
        MetricsReader reader(path("falls") / "metrics.jsonl");
        const auto all = reader.poll();
        QCOMPARE(all.size(), events.size());
        QCOMPARE(reader.skippedLines(), std::uint64_t(0));
        int valid = 0;
        for (const auto &e : all)
            valid += e.event == EventKind::Valid;
        // 280 training dialogues in batches of 8, 2 per step: epochs end at steps 18 and 36,
        // and eval_every adds 10, 20, 30 and 40.
        QCOMPARE(valid, 6);
        QCOMPARE(all.back().event, EventKind::Finished);

        // Checkpoints: the last 3 kept (keep_last), each a loadable Hugging Face folder.
        RunDirectory run = RunDirectory::open(path("falls"));
        auto checkpoints = run.checkpoints();
        QCOMPARE(checkpoints.size(), std::size_t(3));
        QCOMPARE(checkpoints.back().step, std::int64_t(40));
        for (const auto &c : checkpoints) {
            QVERIFY(fs::exists(c.dir / "vocab.txt"));
            QVERIFY(fs::exists(c.dir / "trainer_state.json"));
            LanguageModel::load(c.dir);
        }
        QVERIFY(run.bestCheckpoint().has_value());
        QCOMPARE(run.config().name, std::string("falls"));
    }

    void resumeContinuesExactly()
    {
        RunConfig c = smallConfig(m_corpus, "whole");
        auto whole = Trainer::create(c, path("whole"));
        whole->run();

        c.name = "cut";
        {
            auto cut = Trainer::create(c, path("cut"));
            for (int i = 0; i < 25; ++i)
                QVERIFY(cut->step());
            // Destroyed without a checkpoint at 25: the resume starts from step-20 and replays.
        }
        auto resumed = Trainer::resume(path("cut"));
        resumed->run();
        QCOMPARE(resumed->state(), RunState::Finished);

        const auto a = trainEvents(path("whole")), b = trainEvents(path("cut"));
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].step, a[i].step);
            QCOMPARE(b[i].tokens, a[i].tokens);
            QVERIFY2(std::abs(b[i].loss - a[i].loss) <= 1e-6 * std::abs(a[i].loss),
                qPrintable(
                    QString("step %1: %2 vs %3").arg(a[i].step).arg(a[i].loss).arg(b[i].loss)));
        }
        const auto la = lastLogits(path("whole") / "checkpoints" / "step-40");
        const auto lb = lastLogits(path("cut") / "checkpoints" / "step-40");
        QCOMPARE(lb.size(), la.size());
        QVERIFY(!la.empty());
        for (std::size_t i = 0; i < la.size(); ++i)
            QVERIFY(std::abs(la[i] - lb[i]) <= 1e-5f);
    }

    void gpt2TransformerTrainsAndAnswers()
    {
        RunConfig c = smallConfig(m_corpus, "encdec");
        c.kind = ModelKind::Gpt2Transformer;
        auto trainer = Trainer::create(c, path("encdec"));
        trainer->run();
        QCOMPARE(trainer->state(), RunState::Finished);
        const auto train = trainEvents(path("encdec"));
        QCOMPARE(train.size(), std::size_t(40));
        verifyLossFell(train);

        // The checkpoint is an encoder-decoder that chats and evaluates like any model.
        const auto dir = RunDirectory::open(path("encdec")).latestCheckpoint()->dir;
        LanguageModel model = LanguageModel::load(dir);
        QVERIFY(model.isEncoderDecoder());
        SamplingOptions o = SamplingOptions::greedy(5);
        QCOMPARE(generate(model, { 101, 300, 301, 102 }, o).front().ids.size(), std::size_t(5));
        const EvaluationResult r
            = evaluateOnCache(model, path("encdec") / "data" / "valid.tokens", 8);
        QVERIFY(std::abs(r.loss - trainer->lastEvent(EventKind::Valid)->loss) < 1e-5);
    }

    void nanStepsAreSkippedThenStopTheRun()
    {
        RunConfig c = smallConfig(m_corpus, "nan");
        c.maxNanSteps = 3;
        c.saveEvery = 4;
        c.evalEvery = 0;
        // Attempts 6 and 7 fail, 8 succeeds: the run goes on; 12, 13, 14 fail: it stops.
        TrainerOptions options;
        options.faults.nanAttempts = { 6, 7, 12, 13, 14 };
        auto trainer = Trainer::create(c, path("nan"), options);
        trainer->run();
        QCOMPARE(trainer->state(), RunState::Failed);
        QCOMPARE(trainer->currentStep(), std::int64_t(9));
        QVERIFY(trainer->lastEvent(EventKind::Failed));
        QVERIFY(QString::fromStdString(trainer->lastEvent(EventKind::Failed)->message)
                    .contains("in a row"));

        MetricsReader reader(path("nan") / "metrics.jsonl");
        int skipped = 0;
        for (const auto &e : reader.poll())
            skipped += e.event == EventKind::Skipped;
        QCOMPARE(skipped, 5);
        // The last good checkpoint (step 8) is intact and loads; nothing after it was written.
        auto latest = RunDirectory::open(path("nan")).latestCheckpoint();
        QVERIFY(latest);
        QCOMPARE(latest->step, std::int64_t(8));
        LanguageModel::load(latest->dir);
    }

    void fineTuningStartsAheadOfScratch()
    {
        // "Pretrain" the fixture model on the corpus's kind of text, then fine-tune from it on
        // fresh text of the same kind, beside a scratch model of the same size.
        RunConfig pre = smallConfig(m_corpus, "pre");
        pre.init = test::tinyGpt2Dir().string();
        pre.tokenizer.clear();
        pre.maxSteps = 30;
        Trainer::create(pre, path("pre"))->run();
        const fs::path base = path("pre") / "checkpoints" / "step-30";
        QVERIFY(fs::exists(base / "model.safetensors"));

        const fs::path fresh = test::writeTrainingCorpus(path("fresh.txt"), 100, 99);
        RunConfig tuned = smallConfig(fresh, "tuned");
        tuned.init = base.string();
        tuned.tokenizer.clear();
        tuned.maxSteps = 3;
        RunConfig scratch = smallConfig(fresh, "scratch");
        scratch.maxSteps = 3;
        Trainer::create(tuned, path("tuned"))->run();
        Trainer::create(scratch, path("scratch"))->run();
        const double t = trainEvents(path("tuned")).front().loss;
        const double s = trainEvents(path("scratch")).front().loss;
        QVERIFY2(t < s - 1.0, qPrintable(QString("fine-tuned %1, scratch %2").arg(t).arg(s)));
    }

    void interleavedRunsEqualLoneRuns()
    {
        RunConfig a = smallConfig(m_corpus, "a"), b = smallConfig(m_corpus, "b");
        a.maxSteps = b.maxSteps = 12;
        b.seed = 7;
        b.lr = 1e-3;
        TrainingScheduler scheduler;
        scheduler.add(Trainer::create(a, path("a")));
        scheduler.add(Trainer::create(b, path("b")));
        int ticks = 0;
        while (scheduler.tick())
            ++ticks;
        QVERIFY(ticks >= 24);
        a.name = "a-alone";
        Trainer::create(a, path("a-alone"))->run();
        const auto together = trainEvents(path("a")), alone = trainEvents(path("a-alone"));
        QCOMPARE(together.size(), alone.size());
        for (std::size_t i = 0; i < alone.size(); ++i)
            QCOMPARE(together[i].loss, alone[i].loss);
        QCOMPARE(scheduler.find(path("b"))->state(), RunState::Finished);
    }

    void pauseAndStop()
    {
        RunConfig c = smallConfig(m_corpus, "ps");
        auto trainer = Trainer::create(c, path("ps"));
        QVERIFY(trainer->step());
        trainer->pause();
        QVERIFY(!trainer->step());
        QCOMPARE(trainer->state(), RunState::Paused);
        QVERIFY(!trainer->canStep());
        trainer->unpause();
        QVERIFY(trainer->canStep());
        QVERIFY(trainer->step());
        QCOMPARE(trainer->currentStep(), std::int64_t(2));
        trainer->stop();
        QVERIFY(!trainer->step());
        QCOMPARE(trainer->state(), RunState::Stopped);
        // Stopping checkpoints the state it stopped at, so a resume loses nothing.
        QCOMPARE(RunDirectory::open(path("ps")).latestCheckpoint()->step, std::int64_t(2));
        auto resumed = Trainer::resume(path("ps"));
        QVERIFY(resumed->step());
        QCOMPARE(resumed->currentStep(), std::int64_t(3));
    }

    void badConfigurationsAreNamed()
    {
        RunConfig c = smallConfig(m_corpus, "bad");
        c.maxLen = 100; // the 64-position model cannot hold it
        auto trainer = Trainer::create(c, path("bad"));
        try {
            trainer->setUp();
            QFAIL("expected an error");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).contains("max_len 100"), e.what());
        }
        QCOMPARE(trainer->state(), RunState::Failed);
        // Though it failed before training began, the run says why in its metrics.jsonl, for
        // whoever watches the folder; failing again on a second start adds one more line.
        for (int attempt = 1; attempt <= 2; ++attempt) {
            MetricsReader reader(path("bad") / "metrics.jsonl");
            const auto events = reader.poll();
            QCOMPARE(events.size(), std::size_t(attempt));
            QCOMPARE(events.back().event, EventKind::Failed);
            QVERIFY2(QString::fromStdString(events.back().message).contains("max_len 100"),
                events.back().message.c_str());
            if (attempt == 1)
                QVERIFY_EXCEPTION_THROWN(Trainer::resume(path("bad"))->setUp(), Error);
        }
        // The run folder exists: creating it again is refused, with the way out named.
        QVERIFY_EXCEPTION_THROWN(Trainer::create(c, path("bad")), Error);

        const std::string text
            = "{\"name\":\"x\",\"data\":{\"corpus\":\"c.txt\"},\"train\":{\"learning_rate\":1}}";
        try {
            RunConfig::fromJsonText(text, "run.json", "/tmp");
            QFAIL("expected an error");
        } catch (const Error &e) {
            QVERIFY2(
                QString(e.what()).contains("'train.learning_rate': unknown setting"), e.what());
        }
        RunConfig round
            = RunConfig::fromJsonText(smallConfig(m_corpus, "rt").toJsonText(), "x", "");
        QCOMPARE(round.toJsonText(), smallConfig(m_corpus, "rt").toJsonText());
    }

    // train.probes: a prompt, or a dialogue's context ending with the prompt; anything else is
    // named by its index.
    void probesInRunJson()
    {
        auto parse = [](const std::string &probes) {
            return RunConfig::fromJsonText(
                R"({"data":{"corpus":"c.txt"},"train":{"probes":)" + probes + "}}", "run.json",
                "/tmp");
        };
        const RunConfig c = parse(R"(["你好", ["早安", "今天好嗎"]])");
        QCOMPARE(c.probes.size(), std::size_t(2));
        QCOMPARE(c.probes[1], std::vector<std::string>({ "早安", "今天好嗎" }));
        QCOMPARE(RunConfig::fromJsonText(c.toJsonText(), "again.json", "/tmp").probes, c.probes);
        using test::contains;
        using test::errorOf;
        QVERIFY(contains(errorOf([&] { parse("\"你好\""); }), "'train.probes': expected an array"));
        QVERIFY(contains(errorOf([&] { parse(R"(["a", [1]])"); }), "'train.probes[1]': expected"));
        QVERIFY(contains(errorOf([&] { parse(R"(["a", ""])"); }), "'train.probes[1]': the prompt"));
        QVERIFY(contains(errorOf([&] {
            RunConfig::fromJsonText(
                R"({"data":{"corpus":"c.txt"},"train":{"probe_count":-1}})", "run.json", "/tmp");
        }),
            "'train.probe_count': -1 is out of range"));
    }

    void metricsReaderFollowsAWriter()
    {
        const fs::path file = path("follow.jsonl");
        JsonLinesWriter writer(file);
        MetricsReader reader(file);
        TrainingEvent e;
        e.event = EventKind::Train;
        e.step = 1;
        e.loss = 2.5;
        writer.append(e.toJson());
        auto got = reader.poll();
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(got[0].loss, 2.5);
        const auto size = writer.size();
        {
            std::ofstream torn(file, std::ios::app);
            torn << "{\"event\":\"train\",\"step\":2,\"lo"; // a writer killed mid-line
        }
        QVERIFY(reader.poll().empty());
        {
            std::ofstream rest(file, std::ios::app);
            rest << "ss\":1}\n{garbage}\n";
        }
        got = reader.poll();
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(reader.skippedLines(), std::uint64_t(1));
        writer.truncate(size); // a resume rewinds the file
        QVERIFY(reader.poll().size() == 1 && reader.restarted());
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
