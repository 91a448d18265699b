// Data-parallel training with torch.distributed (Gloo) on loopback: two workers equal one
// process over the same global batch, a dead worker fails the others quickly instead of hanging,
// and a run resumes under a different world size.

#include "chatbench/language_model.h"
#include "common/cli_process.h"
#include "common/training_corpus.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <fstream>

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using Run = chatbench::test::CliRun;
using chatbench::test::runCli;

QString q(const fs::path &p)
{
    return chatbench::test::qPath(p);
}

std::vector<float> logitsOf(const fs::path &checkpoint)
{
    return chatbench::LanguageModel::load(checkpoint).score({ 101, 300, 301, 302 }).lastLogits;
}

} // namespace

class TestDistributed : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path path(const char *name) const { return fs::path(m_dir.path().toStdString()) / name; }

    fs::path config(const char *name, int gradAccum, int maxSteps)
    {
        const fs::path file = path(name);
        std::ofstream(file) << json {
            { "name", "dp" },
            { "model",
                { { "preset", "tiny" }, { "n_layer", 2 }, { "n_head", 2 }, { "n_embd", 64 },
                    { "n_positions", 64 }, { "dropout", 0.0 } } },
            { "tokenizer", { { "path", chatbench::test::tinyGpt2Dir().string() } } },
            { "data", { { "corpus", "corpus.txt" }, { "max_len", 64 }, { "valid_count", 10 } } },
            { "train",
                { { "max_steps", maxSteps }, { "batch_size", 4 }, { "grad_accum", gradAccum },
                    { "lr", 0.002 }, { "warmup_steps", 2 }, { "save_every", 3 },
                    { "threads", 1 } } }
        }.dump();
        return file;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        chatbench::test::writeTrainingCorpus(path("corpus.txt"), 200, 5);
    }

    void twoWorkersEqualOneProcess()
    {
        // Two workers with one micro-batch each = one process accumulating two.
        Run two = runCli({ "train", "--config", q(config("two.json", 1, 6)), "--out",
            q(path("two")), "--nproc", "2" });
        QVERIFY2(two.exitCode == 0, qPrintable(two.err));
        QCOMPARE(json::parse(two.out.toStdString())["state"], "finished"); // rank 0's summary only
        Run one = runCli({ "train", "--config", q(config("one.json", 2, 6)), "--out",
            q(path("one")), "--quiet" });
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        const auto a = logitsOf(path("one") / "checkpoints" / "step-6");
        const auto b = logitsOf(path("two") / "checkpoints" / "step-6");
        QCOMPARE(b.size(), a.size());
        QVERIFY(!a.empty());
        double worst = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, double(std::abs(a[i] - b[i])));
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
    }

    void aDeadWorkerFailsTheOthersQuickly()
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("CHATBENCH_FAULT_EXIT_RANK", "1:3");
        env.insert("CHATBENCH_DIST_TIMEOUT_S", "30");
        QElapsedTimer timer;
        timer.start();
        Run r = runCli({ "train", "--config", q(config("dead.json", 1, 200)), "--out",
                           q(path("dead")), "--nproc", "2" },
            env);
        QVERIFY(timer.elapsed() < 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("worker 1 exited with code 9"), qPrintable(r.err));
        QVERIFY2(r.err.contains("a worker stopped or the network failed"), qPrintable(r.err));
    }

    void resumesUnderAnotherWorldSize()
    {
        Run first = runCli({ "train", "--config", q(config("resize.json", 1, 6)), "--out",
            q(path("resize")), "--quiet" });
        QCOMPARE(first.exitCode, 0);
        // Back to step 3, as if the single-process run had been stopped there.
        fs::remove_all(path("resize") / "checkpoints" / "step-6");
        Run resumed = runCli({ "train", "--resume", q(path("resize")), "--nproc", "2" });
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        const json s = json::parse(resumed.out.toStdString());
        QCOMPARE(s["state"], "finished");
        QCOMPARE(s["step"], 6);
        logitsOf(path("resize") / "checkpoints" / "step-6");
    }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "test_distributed.moc"
