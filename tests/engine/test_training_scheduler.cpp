// TrainingScheduler: runs interleave step by step, one trainer per run folder, and remove()
// gives a run back (freeing it) while the others keep their turns.

#include "chatbench/error.h"
#include "chatbench/training_scheduler.h"
#include "common/small_run.h"

#include <QtTest/QtTest>

using namespace chatbench;
namespace fs = std::filesystem;

class TestTrainingScheduler : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_corpus;

    std::unique_ptr<Trainer> newRun(const std::string &name)
    {
        RunConfig c = test::smallRunConfig(name, m_corpus, 1);
        c.evalEvery = 0;
        c.saveEvery = 1000;
        return Trainer::create(c, fs::path(m_dir.path().toStdString()) / name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_corpus
            = test::writeTrainingCorpus(fs::path(m_dir.path().toStdString()) / "corpus.txt", 40, 6);
    }

    void interleavesAndRemoves()
    {
        TrainingScheduler scheduler;
        Trainer &a = scheduler.add(newRun("a"));
        Trainer &b = scheduler.add(newRun("b"));
        QVERIFY_THROWS_EXCEPTION(Error, scheduler.add(Trainer::resume(a.directory().path())));
        QVERIFY(scheduler.tick() && scheduler.tick() && scheduler.tick() && scheduler.tick());
        QCOMPARE(a.currentStep(), std::int64_t(2));
        QCOMPARE(b.currentStep(), std::int64_t(2));
        QCOMPARE(scheduler.find(b.directory().path()), &b);

        // a's trainer comes back out; b alone steps from now on.
        const fs::path aDir = a.directory().path();
        std::unique_ptr<Trainer> removed = scheduler.remove(aDir / "."); // the same folder
        QCOMPARE(removed.get(), &a);
        QCOMPARE(scheduler.find(aDir), nullptr);
        QCOMPARE(scheduler.runs().size(), std::size_t(1));
        QCOMPARE(scheduler.remove(aDir), nullptr);
        QVERIFY(scheduler.tick() && scheduler.tick());
        QCOMPARE(b.currentStep(), std::int64_t(4));
        QCOMPARE(removed->currentStep(), std::int64_t(2));

        // The folder can take a new trainer now (a run started again).
        removed->stop();
        removed->step(); // stops with a checkpoint
        removed.reset();
        Trainer &again = scheduler.add(Trainer::resume(aDir));
        QVERIFY(scheduler.tick() && scheduler.tick());
        QCOMPARE(again.currentStep(), std::int64_t(3));
    }
};

QTEST_APPLESS_MAIN(TestTrainingScheduler)
#include "test_training_scheduler.moc"
