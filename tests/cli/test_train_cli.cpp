// chatbench-cli train / eval --data / bench train as a user runs them, and the promise that
// matters most for runs left going for days: a process killed at any moment, checkpoint writes
// included, leaves every checkpoint loadable, and resuming ends where an uninterrupted run ends.

#include "chatbench/language_model.h"
#include "chatbench/probe_log.h"
#include "chatbench/run_directory.h"
#include "common/cli_process.h"
#include "common/fixture.h"
#include "common/training_corpus.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <algorithm>
#include <fstream>
#include <thread>

using nlohmann::json;
using namespace chatbench;
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
    return LanguageModel::load(checkpoint).score({ 101, 300, 301, 302, 303 }).lastLogits;
}

} // namespace

class TestTrainCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path m_corpus, m_config;
    fs::path path(const char *name) const { return fs::path(m_dir.path().toStdString()) / name; }
    qint64 m_wholeMs = 0; // how long the uninterrupted reference run took, start-up included

    Run trainWhole()
    {
        QElapsedTimer timer;
        timer.start();
        Run r = runCli({ "train", "--config", q(m_config), "--out", q(path("whole")) });
        m_wholeMs = timer.elapsed();
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_corpus = test::writeTrainingCorpus(path("corpus.txt"), 200, 3);
        m_config = path("run.json");
        std::ofstream(m_config) << json {
            { "name", "kill" },
            { "model",
                { { "preset", "tiny" }, { "n_layer", 2 }, { "n_head", 2 }, { "n_embd", 64 },
                    { "n_positions", 64 } } },
            { "tokenizer", { { "path", test::tinyGpt2Dir().string() } } },
            { "data", { { "corpus", "corpus.txt" }, { "max_len", 64 }, { "valid_count", 10 } } },
            { "train",
                { { "max_steps", 80 }, { "batch_size", 8 }, { "grad_accum", 1 }, { "lr", 0.002 },
                    { "warmup_steps", 4 }, { "save_every", 1 }, { "eval_every", 10 },
                    { "keep_last", 2 }, { "threads", 1 } } }
        }.dump(2);
    }

    void trainPrintsSummaryAndProgress()
    {
        Run r = trainWhole();
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const json s = r.object();
        QCOMPARE(s["state"], "finished");
        QCOMPARE(s["step"], 80);
        QVERIFY(s["valid"]["ppl"].get<double>() > 1);
        QVERIFY(r.err.contains("step 80/80"));
        QVERIFY(r.err.contains("validation at step 10"));

        // eval --data on the run's own validation cache gives the run's last validation.
        Run e = runCli({ "eval", "--model", q(path("whole") / "checkpoints" / "step-80"), "--data",
            q(path("whole") / "data" / "valid.tokens") });
        QVERIFY2(e.exitCode == 0, qPrintable(e.err));
        QVERIFY(
            std::abs(e.object()["loss"].get<double>() - s["valid"]["loss"].get<double>()) < 1e-5);
        QVERIFY(e.object()["tokens"].get<int>() > 0);
    }

    // --layout cdial end to end: CDial-GPT's speaker tokens in the cache, the final response
    // learned only, the layout recorded in the checkpoint, which eval and chat then honour.
    void cdialLayoutTrainsEvaluatesAndChats()
    {
        const fs::path run = path("cdial");
        Run r = runCli({ "train", "--config", q(m_config), "--out", q(run), "--layout", "cdial",
            "--max-steps", "12", "--save-every", "12" });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const json s = r.object();
        QCOMPARE(s["step"], 12);
        const json stats = json::parse(std::ifstream(run / "data" / "stats.json"));
        QCOMPARE(stats["layout"], "cdial");
        QCOMPARE(stats["speaker_tokens"], json({ "[unused1]", "[unused2]" }));
        const fs::path checkpoint = run / "checkpoints" / "step-12";
        const json config = json::parse(std::ifstream(checkpoint / "config.json"));
        QCOMPARE(config["chatbench_dialogue_layout"], "cdial");
        QCOMPARE(json::parse(std::ifstream(run / "run.json"))["data"]["loss"], "response");

        // The run validated on responses only: eval --loss response reproduces it, and the
        // whole-sequence loss counts more tokens.
        const QString valid = q(run / "data" / "valid.tokens");
        Run response
            = runCli({ "eval", "--model", q(checkpoint), "--data", valid, "--loss", "response" });
        QVERIFY2(response.exitCode == 0, qPrintable(response.err));
        QVERIFY(std::abs(response.object()["loss"].get<double>() - s["valid"]["loss"].get<double>())
            < 1e-5);
        Run all = runCli({ "eval", "--model", q(checkpoint), "--data", valid });
        QVERIFY(all.object()["tokens"].get<int>() > response.object()["tokens"].get<int>());

        Run chat = test::runCliWithInput(
            { "chat", "--model", q(checkpoint), "--max-new", "6" }, "你好\n");
        QVERIFY2(chat.exitCode == 0, qPrintable(chat.err));
        QVERIFY(chat.out.contains("step-12: "));
    }

    void killedAnywhereResumesToTheSameModel()
    {
        if (!fs::exists(path("whole") / "checkpoints" / "step-80")) // the reference run
            QCOMPARE(trainWhole().exitCode, 0);
        const fs::path run = path("killed");
        auto *rng = QRandomGenerator::global();
        int kills = 0;
        for (int attempt = 0; attempt < 8; ++attempt) {
            QProcess p;
            p.start(QStringLiteral(CHATBENCH_BIN_DIR "/chatbench-cli"),
                !fs::exists(run / "run.json")
                    ? QStringList { "train", "--config", q(m_config), "--out", q(run), "--quiet" }
                    : QStringList { "train", "--resume", q(run), "--quiet" });
            QVERIFY(p.waitForStarted());
            // Kills land within 5-35% of the whole run's time: three attempts cannot finish it, so
            // at least three kills happen however fast the machine is (fixed 300-1200 ms let a
            // faster machine finish after two).
            const int low = int(std::max<qint64>(m_wholeMs / 20, 100));
            const int high = int(std::max<qint64>(m_wholeMs * 7 / 20, low + 50));
            if (p.waitForFinished(int(rng->bounded(low, high)))) {
                QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
                break; // it finished before the kill came
            }
            p.kill(); // SIGKILL: no chance to clean up
            p.waitForFinished();
            ++kills;
            // Every checkpoint folder on disk loads, whatever moment the kill hit.
            if (!fs::exists(run / "run.json"))
                continue; // killed before the run existed: the next attempt creates it
            for (const auto &c : RunDirectory::open(run).checkpoints()) {
                try {
                    logitsOf(c.dir);
                } catch (const std::exception &e) {
                    QFAIL(qPrintable(QString("after kill %1: %2").arg(kills).arg(e.what())));
                }
            }
        }
        qInfo("%d kills", kills);
        QVERIFY(kills >= 3);
        // On a loaded machine every kill may have come before the run wrote its run.json.
        Run r = runCli(fs::exists(run / "run.json")
                ? QStringList { "train", "--resume", q(run) }
                : QStringList { "train", "--config", q(m_config), "--out", q(run) });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.object()["state"], "finished");

        MetricsReader reader(run / "metrics.jsonl");
        int steps = 0;
        for (const auto &e : reader.poll())
            steps += e.event == EventKind::Train;
        if (steps != 80)
            for (const auto &w : reader.warnings())
                qWarning("%s", w.c_str());
        QCOMPARE(steps, 80); // rewound at each resume: one train event per step, none twice
        // The probe replies too: rewound with the metrics, and greedy, so equal to the
        // uninterrupted run's line for line.
        QCOMPARE(
            test::fileBytes(run / "probes.jsonl"), test::fileBytes(path("whole") / "probes.jsonl"));
        const auto a = logitsOf(path("whole") / "checkpoints" / "step-80");
        const auto b = logitsOf(run / "checkpoints" / "step-80");
        QCOMPARE(b.size(), a.size());
        QVERIFY(!a.empty());
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(std::abs(a[i] - b[i]) < 1e-4f, qPrintable(QString::number(a[i] - b[i])));
    }

    // --probes: every evaluation answers each prompt, greedily, into probes.jsonl; run.json
    // keeps the prompts. Without it, held-out dialogues are the probes.
    void probesAnswerEveryEvaluation()
    {
        const fs::path prompts = path("probes.txt");
        std::ofstream(prompts) << "你好\n今天天氣怎麼樣\n";
        const fs::path run = path("probed");
        Run r = runCli({ "train", "--config", q(m_config), "--out", q(run), "--max-steps", "20",
            "--save-every", "20", "--probes", q(prompts) });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(json::parse(std::ifstream(run / "run.json"))["train"]["probes"],
            json({ "你好", "今天天氣怎麼樣" }));
        QCOMPARE(r.object()["probes"].size(), 2u); // the summary has the last replies
        QCOMPARE(r.object()["probes"][1]["prompt"], "今天天氣怎麼樣");
        const ProbeLog log = readProbeLog(run / "probes.jsonl");
        QVERIFY(log.warnings.empty());
        QCOMPARE(log.steps(), std::vector<std::int64_t>({ 10, 20 }));
        for (std::int64_t step : { 10, 20 }) {
            const auto replies = log.at(step);
            QCOMPARE(replies.size(), std::size_t(2));
            QCOMPARE(replies[0].prompt(), std::string("你好"));
            QCOMPARE(replies[1].prompt(), std::string("今天天氣怎麼樣"));
            QVERIFY(replies[0].epoch > 0);
        }

        const ProbeLog heldOut = readProbeLog(path("whole") / "probes.jsonl");
        QCOMPARE(heldOut.at(10).size(), std::size_t(3)); // the default probe count
        QVERIFY(heldOut.at(10)[0].context.size() >= 1);

        Run bad = runCli({ "train", "--config", q(m_config), "--out", q(path("badprobes")),
            "--probes", q(path("no-such-probes.txt")) });
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.err.contains("no-such-probes.txt"), qPrintable(bad.err));
        QVERIFY(!fs::exists(path("badprobes") / "run.json"));
    }

    void badTrainInvocations()
    {
        Run r = runCli({ "train", "--config", q(m_config), "--out", q(path("whole")) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("a run already exists here"), qPrintable(r.err));
        r = runCli({ "train", "--resume", q(path("nowhere")) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no such run folder"), qPrintable(r.err));
        r = runCli({ "train", "--resume", q(path("whole")), "--corpus", "x.txt" });
        QCOMPARE(r.exitCode, 2);
        r = runCli({ "train", "--corpus", q(m_corpus), "--out", q(path("neg")), "--lr", "-1" });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("'train.lr'"), qPrintable(r.err));
    }

    void benchTrainReportsThroughput()
    {
        Run r = runCli({ "bench", "train", "--preset", "tiny", "--batch-size", "2", "--seq", "16",
            "--steps", "1", "--warmup", "0", "--threads", "1" });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const json j = r.object();
        for (const char *key : { "tokens_per_s", "model_gflops", "gemm_gflops", "forward_ms",
                 "backward_ms", "optimizer_ms" })
            QVERIFY2(j[key].get<double>() > 0, key);
        // tiny: 4 layers of 12 d^2 + wte 8000 x 256 + LN/biases; FLOPs 6N + 12 L T d.
        QVERIFY(j["parameters"].get<long>() > 5'000'000 && j["parameters"].get<long>() < 5'300'000);
        Run g = runCli({ "bench", "generate", "--preset", "tiny", "--context", "8", "--new", "4",
            "--threads", "1" });
        QVERIFY2(g.exitCode == 0, qPrintable(g.err));
        const json gj = g.object();
        QVERIFY(gj["ms_per_token"].get<double>() > 0);
        QCOMPARE(gj["torch_step"].get<bool>(), false);
        // Every float32 weight a step reads: 4 blocks of 12 d^2 + 13 d, wte, ln_f, one wpe row.
        const double d = 256;
        QCOMPARE(gj["weight_bytes"].get<double>(),
            4.0 * (4 * (12 * d * d + 13 * d) + 8000 * d + 2 * d + d));
        QVERIFY(gj["copy_gb_per_s"].get<double>() > 0);
        QCOMPARE(gj["floor_ms_per_token"].get<double>(),
            1e3 * gj["weight_bytes"].get<double>() / (gj["copy_gb_per_s"].get<double>() * 1e9));
        Run t = runCli({ "bench", "generate", "--preset", "tiny", "--context", "8", "--new", "4",
            "--threads", "1", "--torch-step" });
        QVERIFY2(t.exitCode == 0, qPrintable(t.err));
        QCOMPARE(t.object()["torch_step"].get<bool>(), true);
    }
};

QTEST_GUILESS_MAIN(TestTrainCli)
#include "test_train_cli.moc"
