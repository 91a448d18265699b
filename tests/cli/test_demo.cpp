// chatbench-cli demo at a small scale: the whole pipeline runs (fortunes-zh base, three runs,
// transcripts, comparison, report with plots), and a second run reuses the cached base.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

using nlohmann::json;
namespace fs = std::filesystem;

class TestDemo : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    json demo(const QString &out)
    {
        QProcess p;
        // One thread: on a busy machine (ctest -j2 beside other jobs) every OpenMP region of a
        // 2-thread run waits for a descheduled thread, and the demo took 195 s instead of 41.
        p.start(QStringLiteral(CHATBENCH_BIN_DIR "/chatbench-cli"),
            { "demo", "--out", out, "--scale", "0.02", "--cache", m_dir.path() + "/cache",
                "--threads", "1" });
        if (!p.waitForFinished(600000))
            qFatal("demo did not finish");
        const QByteArray err = p.readAllStandardError();
        if (p.exitCode() != 0)
            qFatal("demo failed: %s", err.constData());
        return json::parse(p.readAllStandardOutput().toStdString());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!fs::exists("/usr/share/games/fortunes/chinese"))
            QSKIP("fortunes-zh is not installed (packaging/setup-deps.sh installs it)");
    }

    void demoRunsEndToEndAndReusesItsBase()
    {
        const json first = demo(m_dir.path() + "/ws");
        QCOMPARE(first["base_from_cache"], false);
        QCOMPARE(first["runs"].size(), std::size_t(3));
        for (const auto &run : first["runs"]) {
            QCOMPARE(run["state"], "finished");
            QVERIFY(run["average_loss"].is_number());
        }
        const fs::path ws = m_dir.path().toStdString() + "/ws";
        for (const char *file : { "report/report.md", "report/report.html", "report/loss.png",
                 "report/accuracy.png", "transcripts/demo.json", "data/fortunes-zh-tw.txt" })
            QVERIFY2(fs::file_size(ws / file) > 100, file);
        std::ifstream md(ws / "report/report.md");
        const std::string deck { std::istreambuf_iterator<char>(md), {} };
        for (const char *part : { "## Datasets", "![training loss](loss.png)", "## Demo - scratch",
                 "## Demo - gpt2-transformer", "chatbot:", "## Comparison" })
            QVERIFY2(deck.find(part) != std::string::npos, part);
        // The fortunes text arrives cleaned and in Traditional Chinese.
        std::ifstream fortunes(ws / "data/fortunes-zh-tw.txt");
        const std::string text { std::istreambuf_iterator<char>(fortunes), {} };
        QVERIFY(text.find('\x1b') == std::string::npos);
        QVERIFY(text.find("這") != std::string::npos);

        const json second = demo(m_dir.path() + "/ws2");
        QCOMPARE(second["base_from_cache"], true);
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "test_demo.moc"
