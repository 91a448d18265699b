// The main window comes up with its panes, menus and engine status, remembers its layout, and
// shows a workspace's run (list entry and curves) from a metrics.jsonl written by hand, and
// changes language without losing what it shows.

#include "chat_column.h"
#include "chat_pane.h"
#include "chat_service.h"
#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "engine_thread.h"
#include "epoch_table.h"
#include "main_window.h"
#include "metrics_plot.h"
#include "run_list.h"
#include "training_monitor.h"

#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QtTest/QtTest>
#include <fstream>

// Counts the layout requests a widget receives.
class LayoutRequests : public QObject
{
public:
    int count = 0;
    bool eventFilter(QObject *, QEvent *event) override
    {
        count += event->type() == QEvent::LayoutRequest;
        return false;
    }
};

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

    // The chat says "generating" and "idle" at every turn: the status bar shows each in full
    // without laying the window out again.
    void engineActivityLeavesTheWindowAlone()
    {
        chatbench::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        chatbench::ui::ChatService *chat = window.engine()->chat();
        QLabel *activity = nullptr;
        for (QLabel *l : window.statusBar()->findChildren<QLabel *>())
            if (l->text().startsWith("Engine idle"))
                activity = l;
        QVERIFY(activity);
        Q_EMIT chat->activity("generating");
        QTRY_COMPARE(activity->text(), QString("Engine generating"));
        Q_EMIT chat->activity("idle");
        QTRY_COMPARE(activity->text(), QString("Engine idle"));
        QTest::qWait(50); // the layouts settle

        LayoutRequests requests;
        window.installEventFilter(&requests);
        for (int turn = 0; turn < 3; ++turn) {
            Q_EMIT chat->activity("generating");
            QTRY_COMPARE(activity->text(), QString("Engine generating"));
            QVERIFY(activity->width() >= activity->sizeHint().width()); // not cut off
            Q_EMIT chat->activity("idle");
            QTRY_COMPARE(activity->text(), QString("Engine idle"));
        }
        QTest::qWait(50);
        QCOMPARE(requests.count, 0);
        // A longer text widens the label.
        Q_EMIT chat->activity("comparing models: 12 / 20 prompts");
        QTRY_VERIFY(activity->text().contains("12 / 20"));
        QTRY_VERIFY(activity->width() >= activity->sizeHint().width());
    }

    // Over ssh or in a script there is no display: --help and --version still answer.
    void helpAndVersionNeedNoDisplay()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
            env.remove(name);
        const auto run = [&](const QString &option) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(CHATBENCH_BIN_DIR "/chatbench"), { option });
            if (!p.waitForFinished(30000))
                qFatal("chatbench %s did not finish", qPrintable(option));
            const QString err = QString::fromUtf8(p.readAllStandardError());
            if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
                qWarning("%s", qPrintable(err));
            return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0
                ? QString::fromUtf8(p.readAllStandardOutput())
                : QString();
        };
        const QString help = run("--help");
        QVERIFY2(help.contains("--workspace") && help.contains("--demo"), qPrintable(help));
        QCOMPARE(run("--version").trimmed(), QStringLiteral("ChatBench " CHATBENCH_VERSION));
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
        // A malformed line is left out of the curves, and said (line 55 of the file), once.
        std::ofstream(QString(runDir + "/metrics.jsonl").toStdString(), std::ios::app)
            << R"({"event":"train","run":"handmade","step":"fifty-two"})"
            << "\n";
        QTRY_VERIFY(window.statusBar()->currentMessage().contains("malformed"));
        QVERIFY2(window.statusBar()->currentMessage().contains("metrics.jsonl:55"),
            qPrintable(window.statusBar()->currentMessage()));
        QCOMPARE(monitor->lossPlot()->pointCount(dir, false), 51);
        QTest::qWait(1200); // two more polls
        const auto boxes = window.findChildren<QMessageBox *>();
        QCOMPARE(
            std::count_if(boxes.begin(), boxes.end(),
                [](QMessageBox *b) { return b->isVisible() && b->text().contains("malformed"); }),
            1);

        // Another workspace replaces this one's runs.
        QTemporaryDir other;
        QVERIFY(QDir().mkpath(other.filePath("second")));
        config.name = "second";
        std::ofstream(other.filePath("second/run.json").toStdString()) << config.toJsonText();
        window.openWorkspace(other.path());
        // The old run is listed until the engine thread has read the new folder.
        QTRY_VERIFY(
            runs->topLevelItemCount() == 1 && runs->topLevelItem(0)->text(0) == QString("second"));
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

    // A folder of runs opens as it is; the demo's folder through its runs/; one without runs
    // says so and clears the old runs away. Open Recent lists them; the last one reopens.
    void findsRunsOpensRecentAndReopens()
    {
        const auto writeRun = [](const QString &dir) {
            QVERIFY(QDir().mkpath(dir));
            chatbench::RunConfig config;
            config.name = QFileInfo(dir).fileName().toStdString();
            config.corpus = "/nonexistent/corpus.txt"; // only watched
            std::ofstream(QString(dir + "/run.json").toStdString()) << config.toJsonText();
        };
        QTemporaryDir demo, empty;
        writeRun(demo.filePath("runs/scratch"));
        writeRun(demo.filePath("runs/fine-tuned"));
        QVERIFY(QDir().mkpath(demo.filePath("data")));
        const QString runs = QFileInfo(demo.filePath("runs")).absoluteFilePath();
        const QString none = QFileInfo(empty.path()).absoluteFilePath();

        chatbench::ui::MainWindow window;
        window.show();
        window.openWorkspace(demo.path());
        QTRY_COMPARE(window.runList()->topLevelItemCount(), 2);
        QTRY_COMPARE(window.workspace(), runs);
        QVERIFY(window.windowTitle().contains(QDir::toNativeSeparators(runs)));

        window.openWorkspace(empty.path());
        QTRY_VERIFY(window.statusBar()->currentMessage().startsWith("No runs found in " + none));
        QCOMPARE(window.runList()->topLevelItemCount(), 0);
        QCOMPARE(window.trainingMonitor()->runs().size(), 0);

        QCOMPARE(
            chatbench::ui::MainWindow::recentWorkspaces().mid(0, 2), (QStringList { none, runs }));
        QMenu *recent = nullptr;
        for (QMenu *menu : window.menuBar()->findChildren<QMenu *>())
            if (menu->title() == "Open &Recent")
                recent = menu;
        QVERIFY(recent);
        Q_EMIT recent->aboutToShow();
        QStringList entries;
        for (QAction *a : recent->actions())
            entries << a->text();
        QVERIFY2(entries.mid(0, 2) == (QStringList { none, runs }), qPrintable(entries.join(", ")));
        recent->actions().at(1)->trigger();
        QTRY_COMPARE(window.runList()->topLevelItemCount(), 2);

        {
            chatbench::ui::MainWindow next;
            QVERIFY(next.reopenLastWorkspace());
            QTRY_COMPARE(next.runList()->topLevelItemCount(), 2);
        }
        QSettings().setValue("workspace/reopenLast", false);
        chatbench::ui::MainWindow off;
        QVERIFY(!off.reopenLastWorkspace());
        QSettings().remove("workspace/reopenLast");
    }

    // A run that fails before its first step says why: in its metrics.jsonl, the run list's
    // state and tooltip, the status bar, a notice, and the monitor's Show Error; again after a
    // restart of the window (from the metrics alone, without a notice).
    void aFailedRunSaysWhy()
    {
        QTemporaryDir workspace;
        const QString corpus = workspace.filePath("corpus.txt");
        std::ofstream(corpus.toStdString()) << "你好\n今天天气很好\n\n我们去公园吧\n好的\n\n";
        chatbench::RunConfig config;
        config.name = "too-long";
        config.corpus = corpus.toStdString();
        config.init = CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh"; // 64 positions
        config.maxLen = 100;
        config.validCount = 1;
        config.threads = 1;
        const QString runDir = QFileInfo(workspace.filePath("too-long")).absoluteFilePath();
        chatbench::RunDirectory::create(runDir.toStdString(), config);
        const auto notices = [](QWidget *window) {
            QStringList texts;
            for (auto *box : window->findChildren<QMessageBox *>())
                if (box->isVisible())
                    texts << box->text();
            return texts;
        };
        {
            chatbench::ui::MainWindow window;
            window.show();
            window.openWorkspace(workspace.path());
            auto *runs = window.runList();
            QTRY_COMPARE(runs->topLevelItemCount(), 1);
            QTreeWidgetItem *item = runs->topLevelItem(0);
            Q_EMIT window.trainingMonitor()->startRequested(runDir);
            QTRY_COMPARE_WITH_TIMEOUT(item->text(1), QString("failed"), 30000);
            QTRY_VERIFY(item->toolTip(1).contains("max_len 100"));
            QTRY_VERIFY(window.statusBar()->currentMessage().contains("max_len 100"));
            QTRY_COMPARE(notices(&window).size(), 1);
            QVERIFY2(notices(&window).first().contains("max_len 100"),
                qPrintable(notices(&window).first()));
            auto *monitor = window.trainingMonitor();
            QVERIFY(monitor->failure(runDir).contains("max_len 100"));
            QVERIFY(monitor->showErrorButton()->isVisibleTo(monitor));
            // Starting it again fails again, and says so again.
            Q_EMIT monitor->startRequested(runDir);
            QTRY_COMPARE_WITH_TIMEOUT(notices(&window).size(), 2, 30000);
            QCOMPARE(item->text(1), QString("failed"));
        }
        chatbench::ui::MainWindow reopened;
        reopened.show();
        reopened.openWorkspace(workspace.path());
        auto *runs = reopened.runList();
        QTRY_COMPARE(runs->topLevelItemCount(), 1);
        QTRY_COMPARE(runs->topLevelItem(0)->text(1), QString("failed"));
        QTRY_VERIFY(runs->topLevelItem(0)->toolTip(1).contains("max_len 100"));
        QTRY_VERIFY(
            reopened.trainingMonitor()->showErrorButton()->isVisibleTo(reopened.trainingMonitor()));
        QTest::qWait(600); // a poll or two: history is not announced
        QVERIFY(notices(&reopened).isEmpty());
    }

    // View → Language re-titles the menus, tabs, headers and axes at once, and keeps what the
    // window holds: the run, its curve and a conversation.
    void switchesLanguageWithoutLosingState()
    {
        using namespace chatbench::ui;
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const RunSummary run { "handmade", QDir::temp().filePath("handmade") };
        window.trainingMonitor()->addRun(run);
        window.runList()->addRun(run, Qt::red);
        MetricsPlot *loss = window.trainingMonitor()->lossPlot();
        loss->addPoints(run.dir, run.name, Qt::red, false, { { 1, 0.1, 100, 1, 5.0 } });
        ChatPane *chat = window.chatPane();
        chatbench::ChatTurn turn;
        turn.user = "hello";
        turn.replies.resize(1);
        turn.replies[0].text = "hi there";
        chat->onConversation(0, { turn });
        window.chatPane()->input()->setText("half a sentence");

        const auto menus = [&] {
            QStringList texts;
            for (QAction *a : window.menuBar()->actions())
                texts << a->text();
            return texts;
        };
        const auto choose = [&](const QString &language) {
            QAction *found = nullptr;
            for (QAction *menu : window.menuBar()->actions())
                for (QAction *a : menu->menu()->actions())
                    if (a->menu())
                        for (QAction *item : a->menu()->actions())
                            if (item->text() == language)
                                found = item;
            QVERIFY2(found, qPrintable(language + ": not in View → Language"));
            found->trigger();
        };

        choose(QString::fromUtf8("繁體中文"));
        QTRY_COMPARE(menus(),
            (QStringList { QString::fromUtf8("檔案(&F)"), QString::fromUtf8("執行(&R)"),
                QString::fromUtf8("檢視(&V)"), QString::fromUtf8("說明(&H)") }));
        QCOMPARE(QSettings().value("ui/language").toString(), QString("zh_TW"));
        QCOMPARE(window.panes()->tabText(0), QString::fromUtf8("訓練監看(&M)"));
        QCOMPARE(window.runList()->headerItem()->text(0), QString::fromUtf8("訓練執行"));
        QCOMPARE(loss->axisLabel(Qt::Horizontal), QString::fromUtf8("步數"));
        QCOMPARE(loss->axisLabel(Qt::Vertical), QString::fromUtf8("損失"));
        QCOMPARE(window.runList()->topLevelItemCount(), 1);
        QCOMPARE(window.runList()->topLevelItem(0)->text(0), QString("handmade"));
        QCOMPARE(loss->pointCount(run.dir, false), 1);
        QVERIFY(chat->conversationText(0).contains(QString::fromUtf8("使用者：")));
        QVERIFY(chat->conversationText(0).contains("hi there"));
        QCOMPARE(window.chatPane()->input()->text(), QString("half a sentence"));

        choose("English");
        QTRY_COMPARE(menus(), (QStringList { "&File", "&Run", "&View", "&Help" }));
        QCOMPARE(window.panes()->tabText(0), QString("Training &Monitor"));
        QCOMPARE(loss->axisLabel(Qt::Horizontal), QString("step"));
        QCOMPARE(window.runList()->topLevelItem(0)->text(0), QString("handmade"));
        QCOMPARE(loss->pointCount(run.dir, false), 1);
        QVERIFY(chat->conversationText(0).contains("user: hello"));
        QSettings().remove("ui/language");
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
