// A run whose disk fills up: the checkpoint write fails with the system's reason, the previous
// checkpoint stays intact and loadable, nothing half-written is left, and once there is space
// again the run resumes and finishes. Needs a small tmpfs (root); skipped where mount is denied.

#include "chatbench/language_model.h"
#include "chatbench/run_directory.h"
#include "common/training_corpus.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <sys/mount.h>

namespace fs = std::filesystem;

class TestDiskFull : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path m_mount;
    bool m_mounted = false;

    QProcess::ExitStatus run(const QStringList &args, int &code, QString &err)
    {
        QProcess p;
        p.start(QStringLiteral(CHATBENCH_BIN_DIR "/chatbench-cli"), args);
        if (!p.waitForFinished(120000))
            qFatal("chatbench-cli did not finish");
        code = p.exitCode();
        err = QString::fromUtf8(p.readAllStandardError());
        return p.exitStatus();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_mount = fs::path(m_dir.path().toStdString()) / "small";
        fs::create_directories(m_mount);
        if (::mount("tmpfs", m_mount.c_str(), "tmpfs", 0, "size=3m") != 0)
            QSKIP("cannot mount a tmpfs here (needs root); the disk-full check is skipped");
        m_mounted = true;
    }

    void cleanupTestCase()
    {
        if (m_mounted)
            ::umount2(m_mount.c_str(), MNT_DETACH);
    }

    void checkpointOnAFullDiskFailsCleanly()
    {
        const fs::path corpus = chatbench::test::writeTrainingCorpus(
            fs::path(m_dir.path().toStdString()) / "corpus.txt", 100, 4);
        const fs::path runDir = m_mount / "run";
        // About 1.7 MB a checkpoint (weights + AdamW moments): the second does not fit in 3 MB.
        const QStringList args { "train", "--corpus", QString::fromStdString(corpus.string()),
            "--tokenizer", QString::fromStdString(chatbench::test::tinyGpt2Dir().string()),
            "--config",
            QString::fromStdString((fs::path(m_dir.path().toStdString()) / "r.json").string()),
            "--out", QString::fromStdString(runDir.string()), "--quiet" };
        std::ofstream(fs::path(m_dir.path().toStdString()) / "r.json")
            << R"({"model": {"n_layer": 2, "n_head": 2, "n_embd": 64, "n_positions": 64},
                  "data": {"corpus": "corpus.txt", "max_len": 64, "valid_count": 5},
                  "train": {"max_steps": 8, "save_every": 2, "keep_last": 5, "threads": 1}})";
        int code = 0;
        QString err;
        QCOMPARE(run(args, code, err), QProcess::NormalExit);
        QCOMPARE(code, 1);
        QVERIFY2(err.contains("No space left on device"), qPrintable(err));

        chatbench::RunDirectory dir = chatbench::RunDirectory::open(runDir);
        const auto checkpoints = dir.checkpoints();
        QCOMPARE(checkpoints.size(), std::size_t(1));
        QCOMPARE(checkpoints[0].step, std::int64_t(2));
        chatbench::LanguageModel::load(checkpoints[0].dir); // intact
        for (const auto &entry : fs::directory_iterator(dir.checkpointsDir()))
            QVERIFY2(entry.path().filename().string().rfind(".incomplete", 0) != 0,
                qPrintable(QString::fromStdString(entry.path().string())));

        // Space again: the run resumes from step 2 and finishes.
        QCOMPARE(::mount("tmpfs", m_mount.c_str(), "tmpfs", MS_REMOUNT, "size=64m"), 0);
        QCOMPARE(run({ "train", "--resume", QString::fromStdString(runDir.string()), "--quiet" },
                     code, err),
            QProcess::NormalExit);
        QVERIFY2(code == 0, qPrintable(err));
        QCOMPARE(dir.latestCheckpoint()->step, std::int64_t(8));
    }
};

QTEST_GUILESS_MAIN(TestDiskFull)
#include "test_disk_full.moc"
