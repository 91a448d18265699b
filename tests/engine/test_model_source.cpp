// Opening models to chat with: a run folder at latest, best, a step; a model folder; the errors
// for what is missing; and a trainer's current weights, copied (training on does not change the
// copy) without a checkpoint being written.

#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/model_source.h"
#include "chatbench/run_directory.h"
#include "chatbench/tokenizer.h"
#include "common/errors.h"
#include "common/small_run.h"

#include <QtTest/QtTest>

using namespace chatbench;
using test::contains;
using test::errorOf;
namespace fs = std::filesystem;

class TestModelSource : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_corpus, m_run;

private Q_SLOTS:
    void initTestCase()
    {
        const fs::path root = m_dir.path().toStdString();
        m_corpus = test::writeTrainingCorpus(root / "corpus.txt", 40, 3);
        m_run = test::trainSmallRun(root / "run", "run", m_corpus, 1);
    }

    void checkpointChoicesParseAndPrint()
    {
        for (const char *text : { "latest", "best", "current", "step-12" })
            QCOMPARE(CheckpointChoice::parse(text).toString(), std::string(text));
        QCOMPARE(CheckpointChoice::parse("step-12"), CheckpointChoice::atStep(12));
        for (const char *bad : { "step-", "step-x", "newest", "" })
            QVERIFY2(contains(errorOf([bad] { CheckpointChoice::parse(bad); }),
                         "expected latest, best, current or step-N"),
                bad);
    }

    void runFoldersOpenAtTheChosenCheckpoint()
    {
        const RunDirectory run = RunDirectory::open(m_run);
        const auto all = run.checkpoints();
        QVERIFY(all.size() >= 2);
        const OpenedModel latest = openModel(m_run);
        QCOMPARE(latest.folder, all.back().dir);
        QCOMPARE(latest.step, std::optional<std::int64_t>(all.back().step));
        QVERIFY(latest.model && latest.tokenizer);
        const OpenedModel first = openModel(m_run, CheckpointChoice::atStep(all.front().step));
        QCOMPARE(first.folder, all.front().dir);
        QCOMPARE(
            openModel(m_run, { CheckpointChoice::Kind::Best }).folder, run.bestCheckpoint()->dir);
        // Current weights without a trainer: the latest checkpoint.
        QCOMPARE(openModel(m_run, { CheckpointChoice::Kind::Current }).folder, all.back().dir);
        const std::string gone = errorOf([&] { openModel(m_run, CheckpointChoice::atStep(999)); });
        QVERIFY2(contains(gone, "no checkpoint step-999 (kept: ")
                && contains(gone, all.back().dir.filename().string()),
            gone.c_str());
    }

    void modelFoldersAndTheirErrors()
    {
        const OpenedModel fixture = openModel(test::tinyGpt2Dir());
        QCOMPARE(fixture.folder, test::tinyGpt2Dir());
        QVERIFY(!fixture.step);
        QVERIFY(contains(
            errorOf([] { openModel(test::tinyGpt2Dir(), { CheckpointChoice::Kind::Best }); }),
            "not a run folder"));
        const fs::path empty = fs::path(m_dir.path().toStdString()) / "empty";
        fs::create_directories(empty);
        QVERIFY(contains(errorOf([&] { openModel(empty); }), "not a model folder"));
        QVERIFY(contains(errorOf([&] { openModel(empty / "nothing"); }), "no such folder"));
        // A run that has not written a checkpoint yet.
        const fs::path fresh = fs::path(m_dir.path().toStdString()) / "fresh";
        Trainer::create(test::smallRunConfig("fresh", m_corpus, 2), fresh);
        QVERIFY(contains(errorOf([&] { openModel(fresh); }), "no checkpoint yet"));
    }

    void currentWeightsAreACopyAndWriteNothing()
    {
        const fs::path dir = fs::path(m_dir.path().toStdString()) / "live";
        RunConfig c = test::smallRunConfig("live", m_corpus, 4);
        c.saveEvery = 1000;
        c.evalEvery = 0;
        auto trainer = Trainer::create(c, dir);
        QVERIFY(contains(errorOf([&] { openCurrentWeights(*trainer); }), "not built its model"));
        for (int i = 0; i < 3; ++i)
            QVERIFY(trainer->step());
        const OpenedModel now = openCurrentWeights(*trainer);
        QCOMPARE(now.step, std::optional<std::int64_t>(3));
        QCOMPARE(now.folder, dir);
        QVERIFY(RunDirectory::open(dir).checkpoints().empty());
        const std::vector<std::int32_t> ids { 101, 300, 301, 302, 102 };
        const TokenScores before = now.model->score(ids);
        QVERIFY(trainer->step()); // training on moves the trainer's weights, not the copy
        const TokenScores after = now.model->score(ids);
        QCOMPARE(after.lastLogits.size(), before.lastLogits.size());
        QCOMPARE(after.lastLogits, before.lastLogits);
        const TokenScores moved = openCurrentWeights(*trainer).model->score(ids);
        QCOMPARE(moved.lastLogits.size(), before.lastLogits.size());
        QVERIFY(moved.lastLogits != before.lastLogits);
        QVERIFY(RunDirectory::open(dir).checkpoints().empty());
    }
};

QTEST_APPLESS_MAIN(TestModelSource)
#include "test_model_source.moc"
