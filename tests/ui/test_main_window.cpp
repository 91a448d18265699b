// The main window comes up with its panes, menus and engine status, remembers its layout, and
// shows a workspace's run (list entry and curves) from a metrics.jsonl written by hand.

#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "epoch_table.h"
#include "main_window.h"
#include "run_list.h"
#include "training_monitor.h"

#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QtTest/QtTest>
#include <fstream>

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ChatBenchTest");
        QCoreApplication::setApplicationName("test_main_window");
        QSettings().clear();
    }

    void showsPanesMenusAndEngineStatus()
    {
        chatbench::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList menus;
        for (QAction *a : window.menuBar()->actions())
            menus << a->text();
        QCOMPARE(menus, (QStringList { "&File", "&Run", "&View", "&Help" }));
        QStringList tabs;
        for (int i = 0; i < window.panes()->count(); ++i)
            tabs << window.panes()->tabText(i).remove('&');
        QCOMPARE(tabs, (QStringList { "Training Monitor", "Chat", "Model Comparison" }));
        const auto labels = window.statusBar()->findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
            [](QLabel *l) { return l->text().contains("libtorch"); }));
    }

    void remembersGeometry()
    {
        {
            chatbench::ui::MainWindow window;
            window.resize(900, 600);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.panes()->setCurrentIndex(1);
            window.close();
        }
        chatbench::ui::MainWindow again;
        QCOMPARE(again.size(), QSize(900, 600));
        QCOMPARE(again.panes()->currentIndex(), 1);
    }

    void opensWorkspaceAndShowsHandWrittenMetrics()
    {
        QTemporaryDir workspace;
        const QString runDir = workspace.filePath("handmade");
        QVERIFY(QDir().mkpath(runDir));
        chatbench::RunConfig config;
        config.name = "handmade";
        config.corpus = "/nonexistent/corpus.txt"; // not read: the run is only watched
        std::ofstream(QString(runDir + "/run.json").toStdString()) << config.toJsonText();
        std::ofstream metrics(QString(runDir + "/metrics.jsonl").toStdString());
        for (int step = 1; step <= 50; ++step)
            metrics << R"({"event":"train","run":"handmade","step":)" << step << R"(,"epoch":)"
                    << step / 25.0 << R"(,"tokens":)" << step * 100 << R"(,"time":)" << step * 0.5
                    << R"(,"loss":)" << 6.0 - step * 0.05 << R"(,"acc":)" << step * 0.005
                    << R"(,"progress":)" << step / 50.0 << "}\n";
        metrics << R"({"event":"epoch","run":"handmade","step":25,"epoch":1,"tokens":2500,)"
                   R"("time":12.5,"loss":5.3,"acc":0.07})"
                << "\n";
        metrics << R"({"event":"valid","run":"handmade","step":25,"epoch":1,"tokens":2500,)"
                   R"("time":12.5,"loss":5.1,"acc":0.08,"ppl":164.0})"
                << "\n";
        metrics << R"({"event":"finished","run":"handmade","step":50,"epoch":2,"tokens":5000,)"
                   R"("time":25})"
                << "\n";
        metrics.close();

        chatbench::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openWorkspace(workspace.path());
        auto *runs = window.runList();
        QTRY_COMPARE(runs->topLevelItemCount(), 1);
        QCOMPARE(runs->topLevelItem(0)->text(0), QString("handmade"));
        auto *monitor = window.trainingMonitor();
        const QString dir = QFileInfo(runDir).absoluteFilePath();
        QTRY_COMPARE(monitor->lossPlot()->pointCount(dir, false), 50);
        QCOMPARE(monitor->lossPlot()->pointCount(dir, true), 1);
        QCOMPARE(monitor->accuracyPlot()->pointCount(dir, false), 50);
        QTRY_COMPARE(runs->topLevelItem(0)->text(2), QString("50")); // step
        QCOMPARE(runs->topLevelItem(0)->text(1), QString("finished"));
        QCOMPARE(runs->topLevelItem(0)->text(3), QString("3.500"));
        QCOMPARE(monitor->selectedRun(), dir);
        QCOMPARE(monitor->epochTable()->rowCount(), 1);

        // A line appended by "another process" shows up through the 2 Hz poll.
        std::ofstream(QString(runDir + "/metrics.jsonl").toStdString(), std::ios::app)
            << R"({"event":"train","run":"handmade","step":51,"epoch":2.04,"tokens":5100,)"
               R"("time":25.5,"loss":3.4,"acc":0.3})"
            << "\n";
        QTRY_COMPARE(monitor->lossPlot()->pointCount(dir, false), 51);
        window.grab().save(QDir::temp().filePath("test_main_window.png"));

        // Another workspace replaces this one's runs.
        QTemporaryDir other;
        QVERIFY(QDir().mkpath(other.filePath("second")));
        config.name = "second";
        std::ofstream(other.filePath("second/run.json").toStdString()) << config.toJsonText();
        window.openWorkspace(other.path());
        QTRY_COMPARE(runs->topLevelItemCount(), 1);
        QTRY_COMPARE(runs->topLevelItem(0)->text(0), QString("second"));
        QCOMPARE(monitor->runs().size(), 1);
        QCOMPARE(monitor->lossPlot()->pointCount(dir, false), 0);
    }

    void startsAWatchedRunFromTheMonitor()
    {
        QTemporaryDir workspace;
        const QString corpus = workspace.filePath("corpus.txt");
        {
            std::ofstream out(corpus.toStdString());
            for (int d = 0; d < 40; ++d)
                out << "你好\n今天天气很好\n我们去公园吧\n\n";
        }
        chatbench::RunConfig config;
        config.name = "here";
        config.corpus = corpus.toStdString();
        config.tokenizer = CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh";
        config.maxLen = 32;
        config.maxSteps = 3;
        config.batchSize = 4;
        config.gradAccum = 1;
        config.validCount = 4;
        config.threads = 1;
        const QString runDir = QFileInfo(workspace.filePath("here")).absoluteFilePath();
        chatbench::RunDirectory::create(runDir.toStdString(), config);

        chatbench::ui::MainWindow window;
        window.show();
        window.openWorkspace(workspace.path());
        auto *runs = window.runList();
        QTRY_COMPARE(runs->topLevelItemCount(), 1);
        QCOMPARE(runs->topLevelItem(0)->text(1), QString("idle"));
        // What the monitor's Start button sends.
        Q_EMIT window.trainingMonitor()->startRequested(runDir);
        QTRY_COMPARE_WITH_TIMEOUT(runs->topLevelItem(0)->text(1), QString("finished"), 120000);
        QTRY_COMPARE(runs->topLevelItem(0)->text(2), QString("3"));
        QTRY_COMPARE(window.trainingMonitor()->lossPlot()->pointCount(runDir, false), 3);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
