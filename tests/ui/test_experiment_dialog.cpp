// New Experiment: N consistent runs from one form (shared settings, per-run overrides, a scratch
// run the pretrained model's size, one prepared data cache), every problem refused before
// anything is created and shown at its field, the corpus read in the background, the last values
// remembered, Clone Run, and one click creating and starting the runs with a chat column each.

#include "chat_column.h"
#include "chat_pane.h"
#include "chatbench/run_directory.h"
#include "common/training_corpus.h"
#include "experiment_dialog.h"
#include "main_window.h"
#include "run_list.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace chatbench;
using namespace chatbench::ui;

class TestExperimentDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_corpus;
    const QString m_pretrained
        = QString::fromStdString(test::tinyGpt2Dir().lexically_normal().string());

    // The fixture model (64 positions, 600 tokens) as the pretrained model, max_len inside it.
    void fillIn(ExperimentDialog &dialog)
    {
        dialog.corpusEdit()->setText(m_corpus);
        dialog.pretrainedEdit()->setText(m_pretrained);
        dialog.scratchSizeChoice()->setCurrentIndex(0); // the pretrained model's size
        dialog.maxLenBox()->setValue(64);
        dialog.lrBox()->setValue(0.002);
        dialog.validBox()->setValue(10);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_corpus = QString::fromStdString(
            test::writeTrainingCorpus(m_dir.filePath("corpus.txt").toStdString(), 60, 7).string());
    }

    void createsConsistentRuns()
    {
        const QString workspace = m_dir.filePath("ws1");
        ExperimentDialog dialog(workspace, HubSettings {});
        QCOMPARE(dialog.runCount(), 2); // scratch and fine-tuned to start with
        fillIn(dialog);
        dialog.addRun(
            "gpt2-transformer", ModelKind::Gpt2Transformer, ExperimentDialog::Start::Pretrained);
        dialog.runTable()->item(1, 4)->setText("0.0005"); // fine-tuned: its own learning rate
        QVERIFY2(dialog.check(),
            qPrintable(dialog.problemAt("corpus") + dialog.problemAt("pretrained")
                + dialog.problemAt("max_len") + dialog.problemAt("runs")
                + dialog.problemAt("tokenizer") + dialog.problemAt("training")));

        const auto runs = dialog.plannedRuns();
        QCOMPARE(runs.size(), 3);
        const RunConfig &scratch = runs[0].config, &tuned = runs[1].config,
                        &transformer = runs[2].config;
        QCOMPARE(scratch.name, std::string("scratch"));
        QCOMPARE(runs[0].dir, QDir(workspace).absoluteFilePath("scratch"));
        QCOMPARE(scratch.init, std::string("scratch"));
        // The pretrained model's architecture and vocabulary, fresh weights.
        QCOMPARE(scratch.nLayer, std::int64_t(2));
        QCOMPARE(scratch.nHead, std::int64_t(2));
        QCOMPARE(scratch.nEmbd, std::int64_t(32));
        QCOMPARE(scratch.nPositions, std::int64_t(64));
        QCOMPARE(QString::fromStdString(scratch.tokenizer), m_pretrained);
        QCOMPARE(QString::fromStdString(tuned.init), m_pretrained);
        QCOMPARE(transformer.kind, ModelKind::Gpt2Transformer);
        // Shared settings everywhere, the override where it was given.
        QCOMPARE(scratch.lr, 0.002);
        QCOMPARE(tuned.lr, 0.0005);
        QCOMPARE(transformer.lr, 0.002);
        for (const auto &run : runs) {
            QCOMPARE(QString::fromStdString(run.config.corpus), m_corpus);
            QCOMPARE(run.config.maxLen, 64);
            // One tokenizer, one data cache: the corpus is prepared once.
            QCOMPARE(run.config.cacheDir, scratch.cacheDir);
        }
        QVERIFY(!scratch.cacheDir.empty());

        // The background read of the corpus: its format and size.
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.corpusSummary().isEmpty(), 10000);
        QVERIFY2(dialog.corpusSummary().contains("chitchat")
                && dialog.corpusSummary().contains("60 dialogues"),
            qPrintable(dialog.corpusSummary()));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.grab().save(QDir::temp().filePath("test_experiment_dialog.png")); // docs/
    }

    void refusesProblemsAtTheirFields()
    {
        const QString workspace = m_dir.filePath("ws2");
        ExperimentDialog dialog(workspace, HubSettings {});
        fillIn(dialog);
        dialog.maxLenBox()->setValue(150); // the fixture has 64 positions
        dialog.show();
        dialog.accept();
        QVERIFY(dialog.isVisible()); // not accepted: fixed here
        QVERIFY2(dialog.problemAt("max_len").contains(
                     "data.max_len 150 exceeds the model's context (64 positions)"),
            qPrintable(dialog.problemAt("max_len")));
        QVERIFY(dialog.problemAt("corpus").isEmpty());
        QVERIFY(!QFileInfo::exists(workspace + "/scratch"));

        dialog.maxLenBox()->setValue(64);
        dialog.pretrainedEdit()->setText(m_dir.filePath("nowhere"));
        QVERIFY(!dialog.check());
        QVERIFY2(dialog.problemAt("pretrained").contains("nowhere"),
            qPrintable(dialog.problemAt("pretrained")));
        QVERIFY(dialog.problemAt("max_len").isEmpty());

        // A tokenizer larger than the model's vocabulary: said at the tokenizer.
        const QString big = m_dir.filePath("bigvocab");
        QVERIFY(QDir().mkpath(big));
        QFile vocab(big + "/vocab.txt");
        QVERIFY(vocab.open(QIODevice::WriteOnly));
        for (const char *special : { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" })
            vocab.write(QByteArray(special) + "\n");
        for (int i = 0; i < 700; ++i)
            vocab.write(QByteArray("tok") + QByteArray::number(i) + "\n");
        vocab.close();
        dialog.pretrainedEdit()->setText(m_pretrained);
        dialog.tokenizerEdit()->setText(big);
        QVERIFY(!dialog.check());
        QVERIFY2(dialog.problemAt("tokenizer").contains("705 tokens")
                && dialog.problemAt("tokenizer").contains("holds 600"),
            qPrintable(dialog.problemAt("tokenizer")));
        dialog.tokenizerEdit()->clear();

        // Names: two alike, or one already a folder.
        dialog.runTable()->item(1, 1)->setText("scratch");
        QVERIFY(!dialog.check());
        QVERIFY(dialog.problemAt("runs").contains("Two runs are named \"scratch\""));
        dialog.runTable()->item(1, 1)->setText("tuned");
        QVERIFY(QDir().mkpath(workspace + "/tuned"));
        QVERIFY(!dialog.check());
        QVERIFY(dialog.problemAt("runs").contains("already exists"));
    }

    void remembersTheLastValuesAndClones()
    {
        {
            ExperimentDialog dialog(m_dir.filePath("ws3"), HubSettings {});
            fillIn(dialog);
            dialog.probesEdit()->setPlainText("你好\n今天好嗎");
            dialog.accept();
            QCOMPARE(dialog.result(), int(QDialog::Accepted));
        }
        ExperimentDialog again(m_dir.filePath("ws3"), HubSettings {});
        QCOMPARE(again.corpusEdit()->text(), m_corpus);
        QCOMPARE(again.pretrainedEdit()->text(), m_pretrained);
        QCOMPARE(again.maxLenBox()->value(), 64);
        QCOMPARE(again.lrBox()->value(), 0.002);
        const auto probes = again.plannedRuns().first().config.probes;
        QCOMPARE(probes.size(), std::size_t(2));
        QCOMPARE(probes[1], (std::vector<std::string> { "今天好嗎" }));

        // Clone Run: the run's settings, one row, a free name.
        RunConfig run = again.plannedRuns()[1].config;
        run.lr = 0.01;
        run.maxLen = 32;
        QVERIFY(QDir().mkpath(m_dir.filePath("ws3/fine-tuned")));
        ExperimentDialog clone(m_dir.filePath("ws3"), HubSettings {});
        clone.cloneFrom(run);
        QCOMPARE(clone.runCount(), 1);
        const auto planned = clone.plannedRuns();
        QCOMPARE(planned.size(), 1);
        QCOMPARE(planned[0].config.name, std::string("fine-tuned-2"));
        QCOMPARE(planned[0].config.lr, 0.01);
        QCOMPARE(planned[0].config.maxLen, 32);
        QCOMPARE(QString::fromStdString(planned[0].config.init), m_pretrained);
    }

    // One click: the runs are created and start training; the Chat pane has a column per run.
    void createsAndStartsTheRuns()
    {
        const QString workspace = m_dir.filePath("ws4");
        QVERIFY(QDir().mkpath(workspace));
        MainWindow window;
        window.openWorkspace(workspace);
        ExperimentDialog dialog(workspace, HubSettings {});
        fillIn(dialog);
        dialog.maxStepsBox()->setValue(4);
        QVERIFY(dialog.check());
        window.startExperiment(dialog.plannedRuns());
        QCOMPARE(window.chatPane()->columns().size(), 2);
        QCOMPARE(window.chatPane()->columns()[1]->spec().source,
            QDir(workspace).absoluteFilePath("fine-tuned"));
        QTRY_COMPARE_WITH_TIMEOUT(window.runList()->topLevelItemCount(), 2, 30000);
        for (const QString name : { "scratch", "fine-tuned" })
            QTRY_VERIFY_WITH_TIMEOUT(
                QFileInfo::exists(workspace + "/" + name + "/metrics.jsonl"), 60000);
        // Both trained from the one prepared cache.
        const auto config = RunDirectory::open((workspace + "/scratch").toStdString()).config();
        QVERIFY(QFileInfo::exists(QString::fromStdString(config.cacheDir) + "/train.tokens"));
    }
};

QTEST_MAIN(TestExperimentDialog)
#include "test_experiment_dialog.moc"
