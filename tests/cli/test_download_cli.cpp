// chatbench-cli download and repo ids, against the Hub stand-in on 127.0.0.1 (the environment
// points HF_ENDPOINT at it and HF_HUB_CACHE at a temporary folder): a download fills the cache
// and a second one transfers nothing; --model takes the repo id, offline too, with the same
// logits as the folder; a repo id the cache lacks is an error naming the download command,
// or is fetched with --download; a run records its init pinned to the commit; a denied
// download never prints the token.

#include "chatbench/run_config.h"
#include "common/cli_process.h"
#include "common/fake_hub.h"
#include "common/fixture.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <fstream>
#include <sstream>

using chatbench::test::CliRun;
using chatbench::test::runCli;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const std::string kCommit = "89abcdef0123456789abcdef0123456789abcdef";

} // namespace

class TestDownloadCli : public QObject
{
    Q_OBJECT

    std::unique_ptr<chatbench::test::FakeHub> m_hub;
    QTemporaryDir m_cache;

    QProcessEnvironment env(bool offline = false) const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert("HF_ENDPOINT", QString::fromStdString(m_hub->endpoint()));
        e.insert("HF_HUB_CACHE", m_cache.path());
        e.remove("HF_TOKEN");
        e.insert("HF_HOME", m_cache.path() + "/no-home"); // no token file
        if (offline)
            e.insert("HF_HUB_OFFLINE", "1");
        return e;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_hub = std::make_unique<chatbench::test::FakeHub>();
        m_hub->addRepo("tiny/gpt2-zh", kCommit, chatbench::test::tinyGpt2Repo());
        m_hub->addRepo("tiny/other", kCommit, chatbench::test::tinyGpt2Repo());
    }

    void downloadFillsTheCacheOnce()
    {
        CliRun first = runCli({ "download", "tiny/gpt2-zh" }, env());
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        const json r = first.object();
        QCOMPARE(r["commit"], kCommit);
        QCOMPARE(r["files"].size(), std::size_t(5));
        QVERIFY(r["bytes_transferred"].get<std::uint64_t>() > 0);
        QVERIFY(fs::is_directory(r["snapshot"].get<std::string>()));
        QVERIFY2(first.err.contains("download:"), qPrintable(first.err)); // progress on stderr

        CliRun second = runCli({ "download", "tiny/gpt2-zh" }, env());
        QVERIFY2(second.exitCode == 0, qPrintable(second.err));
        QCOMPARE(second.object()["bytes_transferred"], 0);
    }

    void repoIdsWorkOfflineAsTheFolder()
    {
        const QStringList logits = { "logits", "--ids", "101,252,253,254,255,102", "--model" };
        CliRun fromRepo = runCli(logits + QStringList { "tiny/gpt2-zh" }, env(true));
        QVERIFY2(fromRepo.exitCode == 0, qPrintable(fromRepo.err));
        CliRun fromFolder = runCli(logits
                + QStringList { QString::fromStdString(chatbench::test::tinyGpt2Dir().string()) },
            env(true));
        QCOMPARE(fromRepo.object()["last_logits"], fromFolder.object()["last_logits"]);
        CliRun chat = chatbench::test::runCli(
            { "chat", "--model", "tiny/gpt2-zh@" + QString::fromStdString(kCommit), "--seed", "1" },
            env(true), 300000, "你好\n");
        QVERIFY2(chat.exitCode == 0, qPrintable(chat.err));
        QVERIFY2(chat.out.startsWith("gpt2-zh"), qPrintable(chat.out));
    }

    void aMissingRepoIdSaysHowToFetchIt()
    {
        CliRun missing
            = runCli({ "logits", "--model", "tiny/other", "--ids", "101,102" }, env(true));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(
            missing.err.contains("chatbench-cli download tiny/other"), qPrintable(missing.err));
        CliRun fetched = runCli(
            { "logits", "--model", "tiny/other", "--ids", "101,102", "--download" }, env());
        QVERIFY2(fetched.exitCode == 0, qPrintable(fetched.err));
    }

    void aRunRecordsItsInitPinnedToTheCommit()
    {
        QTemporaryDir work;
        const fs::path corpus = fs::path(work.path().toStdString()) / "corpus.txt";
        std::ofstream(corpus) << "你好\n好的\n\n明天見\n再見\n\n";
        const QString run = work.filePath("run");
        CliRun r = runCli({ "train", "--corpus", QString::fromStdString(corpus.string()), "--init",
                              "tiny/gpt2-zh", "--out", run, "--max-steps", "1", "--max-len", "32",
                              "--val", "0", "--quiet" },
            env());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto config = chatbench::RunConfig::fromJsonFile(run.toStdString() + "/run.json");
        QCOMPARE(config.init, "tiny/gpt2-zh@" + kCommit);
    }

    void aDeniedDownloadNamesTheRepoNotTheToken()
    {
        m_hub->requiredToken = "hf_right";
        QProcessEnvironment e = env();
        e.insert("HF_TOKEN", "hf_wrong_secret");
        CliRun denied = runCli({ "download", "tiny/gpt2-zh@main" }, e);
        m_hub->requiredToken.clear();
        QCOMPARE(denied.exitCode, 1);
        QVERIFY2(denied.err.contains("tiny/gpt2-zh@main") && denied.err.contains("401"),
            qPrintable(denied.err));
        QVERIFY(!denied.err.contains("hf_wrong_secret") && !denied.out.contains("hf_wrong_secret"));
    }
};

QTEST_GUILESS_MAIN(TestDownloadCli)
#include "test_download_cli.moc"
