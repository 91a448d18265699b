// chatbench-cli report: two finished runs, a saved transcript and a prompt set become the deck,
// the plots and the HTML; the JSON names the files and each run's figures; the comparison table
// is the one `eval --prompts` computes on the same checkpoints; broken run folders and options
// get their specific message and exit code.

#include "chatbench/probe_log.h"
#include "chatbench/run_directory.h"
#include "chatbench/transcript.h"
#include "common/cli_process.h"
#include "common/small_run.h"

#include <QtTest/QtTest>
#include <fstream>

namespace fs = std::filesystem;
using chatbench::test::qPath;
using chatbench::test::runCli;
using nlohmann::json;

class TestReport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path m_alpha, m_beta, m_prompts, m_transcript;
    fs::path path(const std::string &name) const
    {
        return fs::path(m_dir.path().toStdString()) / name;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const auto corpus = chatbench::test::writeTrainingCorpus(path("corpus.txt"), 24, 5);
        m_alpha = chatbench::test::trainSmallRun(path("alpha"), "alpha", corpus, 1);
        m_beta = chatbench::test::trainSmallRun(path("beta"), "beta", corpus, 2);
        m_prompts = chatbench::test::writeTrainingCorpus(path("prompts.txt"), 6, 9);

        chatbench::Transcript t;
        chatbench::TranscriptModel model;
        model.name = "alpha";
        model.path = chatbench::RunDirectory::open(m_alpha).latestCheckpoint()->dir.string();
        t.models.push_back(model);
        chatbench::ChatTurn turn;
        turn.user = "你好";
        turn.replies.push_back({ "今天好", {}, 0, chatbench::StopReason::MaxTokens });
        t.turns.push_back(turn);
        m_transcript = path("chat.json");
        chatbench::saveTranscript(t, m_transcript);
    }

    void writesTheDeckPlotsAndHtml()
    {
        const fs::path out = path("report");
        const auto r = runCli({ "report", "--run", qPath(m_alpha), "--run", qPath(m_beta),
            "--transcript", qPath(m_transcript), "--prompts", qPath(m_prompts), "--title",
            "Weekly progress", "--out", qPath(out), "--threads", "1" });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const json j = r.object();
        QCOMPARE(j["report"].get<std::string>(), (out / "report.md").string());
        for (const char *key : { "report", "html", "loss_plot", "accuracy_plot" })
            QVERIFY2(fs::file_size(j[key].get<std::string>()) > 0, key);
        QCOMPARE(j["runs"].size(), 2u);
        QCOMPARE(j["runs"][0]["run"], "alpha");
        QCOMPARE(j["runs"][1]["run"], "beta");
        QCOMPARE(j["runs"][0]["epochs"], 2);
        QVERIFY(j["runs"][0]["average_loss"].get<double>() > 0);
        QVERIFY(j["runs"][0]["last_epoch_acc"].get<double>() >= 0);

        std::ifstream in(out / "report.md");
        const std::string md((std::istreambuf_iterator<char>(in)), {});
        QVERIFY(md.rfind("# Weekly progress", 0) == 0);
        QVERIFY(md.find("## Demo - alpha") != std::string::npos);
        QVERIFY(md.find("chatbot:今天好") != std::string::npos);
        QVERIFY(md.find("24 dialogues") != std::string::npos);
        QVERIFY(md.find("![training loss](loss.png)") != std::string::npos);
        char avg[32];
        std::snprintf(
            avg, sizeof avg, "| alpha | %.4f | 2 |", j["runs"][0]["average_loss"].get<double>());
        QVERIFY2(md.find(avg) != std::string::npos, avg);

        // The probe slide: each run's probe replies at its evaluations (two here: the first is
        // also the middle one), prompt by prompt.
        QVERIFY(md.find("## Probe replies") != std::string::npos);
        for (const fs::path &run : { m_alpha, m_beta }) {
            const chatbench::ProbeLog log = chatbench::readProbeLog(run / "probes.jsonl");
            QCOMPARE(log.steps().size(), std::size_t(2));
            for (const chatbench::ProbeReply &p : log.replies) {
                const std::string row = "| " + p.prompt() + " | " + run.filename().string() + " | "
                    + std::to_string(p.step) + " | " + p.reply + " |";
                QVERIFY2(md.find(row) != std::string::npos, row.c_str());
            }
        }

        // The comparison is eval --prompts on each run's latest checkpoint with the report's
        // sampling (top-k 8, 40 new tokens, seed 1): the same numbers.
        QCOMPARE(j["comparison"].size(), 2u);
        for (std::size_t i = 0; i < 2; ++i) {
            const fs::path run = i == 0 ? m_alpha : m_beta;
            const auto e = runCli({ "eval", "--model",
                qPath(chatbench::RunDirectory::open(run).latestCheckpoint()->dir), "--prompts",
                qPath(m_prompts), "--top-k", "8", "--max-new", "40", "--seed", "1", "--threads",
                "1" });
            QVERIFY2(e.exitCode == 0, qPrintable(e.err));
            const json m = e.object()["models"][0];
            QCOMPARE(j["comparison"][i]["model"], i == 0 ? "alpha" : "beta");
            for (const char *key :
                { "distinct_1", "distinct_2", "bleu_2", "bleu_4", "mean_length" })
                QVERIFY2(
                    std::abs(j["comparison"][i][key].get<double>() - m[key].get<double>()) < 1e-9,
                    key);
        }
    }

    void brokenRunFoldersAndOptionsAreReported_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString missing = qPath(path("no-such-run"));
        const QString notRun = qPath(path("not-a-run"));
        fs::create_directories(path("not-a-run"));
        const QString badJson = qPath(path("bad-json"));
        fs::create_directories(path("bad-json"));
        std::ofstream(path("bad-json") / "run.json") << "{\"name\": \"x\",";
        const QString out = qPath(path("unused"));
        QTest::newRow("missing run folder") << QStringList { "report", "--run", missing, "--out",
            out } << 1 << missing + ": no such run folder";
        QTest::newRow("folder without run.json") << QStringList { "report", "--run", notRun,
            "--out", out } << 1 << notRun + ": not a run folder: run.json is missing";
        QTest::newRow("malformed run.json") << QStringList { "report", "--run", badJson, "--out",
            out } << 1 << badJson + "/run.json";
        QTest::newRow("missing transcript") << QStringList { "report", "--run", qPath(m_alpha),
            "--transcript", qPath(path("nothing.json")), "--out", out }
                                            << 1 << qPath(path("nothing.json"));
        QTest::newRow("no --run") << QStringList { "report", "--out", out } << 2
                                  << "missing required option --run";
        QTest::newRow("no --out") << QStringList { "report", "--run", qPath(m_alpha) } << 2
                                  << "--out";
        QTest::newRow("unknown option")
            << QStringList { "report", "--run", qPath(m_alpha), "--out", out, "--colour", "red" }
            << 2 << "--colour";
    }

    void brokenRunFoldersAndOptionsAreReported()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const auto r = runCli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(qPath(path("unused"))));
    }

    void anUnwritableOutputIsReported()
    {
        const fs::path blocker = path("blocker");
        std::ofstream(blocker) << "a file, not a folder";
        const auto r
            = runCli({ "report", "--run", qPath(m_alpha), "--out", qPath(blocker / "out") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(qPath(blocker / "out")) && r.err.contains("Not a directory"),
            qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "test_report.moc"
