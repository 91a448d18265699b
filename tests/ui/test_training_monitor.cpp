// The monitor takes 200K points per series and draws them within a generous time budget, its
// per-epoch table joins "epoch" and "valid" events, and the plot controls rebuild the curves.

#include "epoch_table.h"
#include "probe_panel.h"
#include "training_monitor.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QSettings>
#include <QTableWidget>
#include <QtTest/QtTest>
#include <cmath>

using namespace chatbench;
using namespace chatbench::ui;

namespace {

TrainingEvent trainEvent(std::int64_t step, double loss, double acc)
{
    TrainingEvent e;
    e.event = EventKind::Train;
    e.step = step;
    e.epoch = double(step) / 1000.0;
    e.tokens = std::uint64_t(step) * 512;
    e.time = double(step) * 0.1;
    e.loss = loss;
    e.acc = acc;
    e.progress = 0.5;
    e.tokensPerSecond = 1500;
    e.etaSeconds = 90;
    return e;
}

// Steps first..last with a steadily falling loss and rising accuracy.
EventBatch descending(int first, int last)
{
    EventBatch events;
    for (int i = first; i <= last; ++i)
        events.append(trainEvent(i, 10.0 - i * 0.05, 0.01 * i));
    return events;
}

// qcustomplot.h uses Qt's keywords, which tests turn off: the plot widget by its class name.
QWidget *canvasOf(MetricsPlot *plot)
{
    for (QWidget *w : plot->findChildren<QWidget *>())
        if (w->inherits("QCustomPlot"))
            return w;
    return nullptr;
}

ProbeReply probe(
    std::int64_t step, std::size_t index, const std::string &prompt, const std::string &reply)
{
    ProbeReply r;
    r.step = step;
    r.epoch = double(step) / 100.0;
    r.index = index;
    r.context = { prompt };
    r.reply = reply;
    return r;
}

TrainingEvent makeEvent(EventKind kind, std::int64_t step, double epoch, double loss, double acc,
    double ppl = TrainingEvent::none)
{
    TrainingEvent e;
    e.event = kind;
    e.step = step;
    e.epoch = epoch;
    e.loss = loss;
    e.acc = acc;
    e.ppl = ppl;
    return e;
}

RunSummary run(const QString &name)
{
    RunSummary r;
    r.name = name;
    r.dir = "/runs/" + name;
    r.state = chatbench::RunState::Idle;
    return r;
}

} // namespace

class TestTrainingMonitor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The monitor remembers its plot controls: never in the user's settings.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ChatBenchTest");
        QCoreApplication::setApplicationName("test_training_monitor");
        QSettings().clear();
    }

    void epochTableJoinsValidation()
    {
        const std::vector<TrainingEvent> events {
            trainEvent(1, 5.0, 0.1), makeEvent(EventKind::Epoch, 10, 1, 4.5, 0.20),
            makeEvent(EventKind::Valid, 10, 1, 4.0, 0.22, std::exp(4.0)), trainEvent(11, 4.0, 0.2),
            makeEvent(EventKind::Valid, 15, 1.5, 3.9, 0.23, std::exp(3.9)), // mid-epoch: not a row
            makeEvent(EventKind::Epoch, 20, 2, 3.5, 0.30),
            makeEvent(EventKind::Valid, 20, 2, 3.25, 0.31, std::exp(3.25)),
            makeEvent(EventKind::Epoch, 30, 3, 3.0, 0.35), // no validation
        };
        const auto rows = epochTable(events);
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(rows[0].epoch, 1);
        QCOMPARE(rows[0].trainLoss, 4.5);
        QCOMPARE(rows[0].trainAcc, 0.20);
        QCOMPARE(rows[0].validLoss, 4.0);
        QVERIFY(std::abs(rows[0].validPpl - std::exp(4.0)) < 1e-9);
        QCOMPARE(rows[1].epoch, 2);
        QCOMPARE(rows[1].validLoss, 3.25);
        QCOMPARE(rows[2].epoch, 3);
        QVERIFY(std::isnan(rows[2].validLoss));

        EpochTable table;
        table.setRows(rows);
        QCOMPARE(table.rowCount(), 3);
        QCOMPARE(table.item(1, 1)->text(), QString("3.5000"));
        QCOMPARE(table.item(2, 3)->text(), QString("-"));
    }

    void ingests200kPointsPerSeries()
    {
        TrainingMonitor monitor;
        monitor.resize(1200, 800);
        monitor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&monitor));
        const int n = 200000;
        const QStringList names { "scratch", "pretrained" };
        for (const QString &name : names)
            monitor.addRun(run(name));

        // As the engine delivers them: batches (here 20 of 10K events per run), built before
        // the clock starts so only the monitor's work is timed.
        std::vector<std::pair<QString, EventBatch>> batches;
        for (int batch = 0; batch < 20; ++batch)
            for (const QString &name : names) {
                EventBatch events;
                events.reserve(n / 20 + n / 20000);
                for (int i = batch * (n / 20); i < (batch + 1) * (n / 20); ++i) {
                    events.append(
                        trainEvent(i + 1, 5.0 * std::exp(-i / 50000.0) + 0.1 * std::sin(i),
                            0.5 - 0.4 * std::exp(-i / 50000.0)));
                    if ((i + 1) % 1000 == 0)
                        events.append(
                            makeEvent(EventKind::Valid, i + 1, (i + 1) / 1000.0, 3.0, 0.4, 20.0));
                }
                batches.emplace_back("/runs/" + name, std::move(events));
            }
        QElapsedTimer clock;
        clock.start();
        for (const auto &[dir, events] : batches)
            monitor.ingest(dir, events, false);
        const qint64 ingestMs = clock.elapsed();
        monitor.flush();
        const qint64 flushMs = clock.elapsed() - ingestMs;
        monitor.lossPlot()->replotNow();
        monitor.accuracyPlot()->replotNow();
        const qint64 totalMs = clock.elapsed();
        QElapsedTimer again;
        again.start();
        monitor.lossPlot()->replotNow();
        const qint64 replotMs = again.elapsed();
        qInfo("200K points x 2 runs x (train + valid) x 2 plots: ingest %lld ms, flush %lld ms, "
              "first draw %lld ms, total %lld ms; a later loss replot %lld ms",
            ingestMs, flushMs, totalMs - ingestMs - flushMs, totalMs, replotMs);
        QCOMPARE(monitor.lossPlot()->pointCount("/runs/scratch", false), n);
        QCOMPARE(monitor.lossPlot()->pointCount("/runs/pretrained", true), n / 1000);
        QCOMPARE(monitor.accuracyPlot()->pointCount("/runs/scratch", false), n);

        // A later small batch appends without redrawing everything from scratch.
        EventBatch more { trainEvent(n + 1, 0.5, 0.9) };
        monitor.ingest("/runs/scratch", more, false);
        monitor.flush();
        QCOMPARE(monitor.lossPlot()->pointCount("/runs/scratch", false), n + 1);

        // Changing the axis and smoothing rebuilds every series from the kept raw values.
        clock.restart();
        monitor.lossPlot()->setXAxis(XAxisKind::Tokens);
        monitor.lossPlot()->setSmoothing(0.9);
        monitor.lossPlot()->replotNow();
        qInfo("re-axis + re-smooth of 400K train points: %lld ms", clock.elapsed());
        QCOMPARE(monitor.lossPlot()->pointCount("/runs/scratch", false), n + 1);

        // A rewound metrics file replaces the run's curve.
        monitor.ingest("/runs/scratch", EventBatch { trainEvent(1, 4.0, 0.1) }, true);
        monitor.flush();
        QCOMPARE(monitor.lossPlot()->pointCount("/runs/scratch", false), 1);
        QCOMPARE(monitor.lossPlot()->pointCount("/runs/pretrained", false), n);
    }

    // A run's colour comes from its name: adding or removing other runs never changes it.
    void runsKeepTheirColours()
    {
        TrainingMonitor first;
        first.addRun(run("scratch"));
        const QColor scratch = first.runColor("/runs/scratch");
        for (const char *name : { "fine-tuned", "gpt2-transformer", "a", "b", "c", "d" })
            first.addRun(run(name));
        QCOMPARE(first.runColor("/runs/scratch"), scratch);
        QSet<QRgb> colours;
        for (const QString &dir : first.runs())
            colours << first.runColor(dir).rgb();
        QCOMPARE(colours.size(), first.runs().size()); // up to 10 runs, all distinct
        first.removeRun("/runs/a");
        QCOMPARE(first.runColor("/runs/scratch"), scratch);
        // The same name alone in another window (another session) has the same colour.
        TrainingMonitor second;
        second.addRun(run("scratch"));
        QCOMPARE(second.runColor("/runs/scratch"), scratch);
    }

    // A hidden monitor takes the points but draws them only when shown (the chat in sight
    // must not pay for two replots ten times a second).
    void drawsOnlyInSight()
    {
        TrainingMonitor monitor;
        monitor.resize(1000, 700);
        monitor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&monitor));
        monitor.addRun(run("a"));
        QWidget *customPlot = canvasOf(monitor.lossPlot());
        QVERIFY(customPlot);
        QSignalSpy drawn(customPlot, SIGNAL(afterReplot()));
        monitor.ingest("/runs/a", descending(1, 10), false);
        monitor.flush();
        QTRY_VERIFY(drawn.count() > 0);

        monitor.hide();
        drawn.clear();
        monitor.ingest("/runs/a", descending(11, 20), false);
        monitor.flush();
        QTest::qWait(50);
        QCOMPARE(drawn.count(), 0);
        QCOMPARE(monitor.lossPlot()->pointCount("/runs/a", false), 20);

        monitor.show();
        QTRY_VERIFY(drawn.count() > 0);
    }

    void legendTogglesAndReadout()
    {
        TrainingMonitor monitor;
        monitor.resize(1000, 700);
        monitor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&monitor));
        monitor.addRun(run("a"));
        EventBatch events = descending(1, 100);
        events.append(makeEvent(EventKind::Epoch, 100, 1, 7.5, 0.5));
        events.append(makeEvent(EventKind::Valid, 100, 1, 7.0, 0.45, std::exp(7.0)));
        monitor.ingest("/runs/a", events, false);
        monitor.flush();
        MetricsPlot *plot = monitor.lossPlot();
        plot->replotNow();
        QVERIFY(plot->isRunVisible("/runs/a", false));
        plot->setRunVisible("/runs/a", false, false);
        QVERIFY(!plot->isRunVisible("/runs/a", false));
        plot->setRunVisible("/runs/a", false, true);
        // Hovering over the validation point reads out its exact value; far away, nothing.
        const QPointF at = plot->pointPosition("/runs/a", true, 0);
        const QString readout = plot->readoutAt(at.toPoint());
        QVERIFY2(
            readout.contains("valid") && readout.contains("7.0000") && readout.contains("step 100"),
            qPrintable(readout));
        const QPointF train = plot->pointPosition("/runs/a", false, 49);
        QVERIFY(plot->readoutAt(train.toPoint()).contains("train"));
        QVERIFY(plot->readoutAt(QPoint(-100, -100)).isEmpty());

        // With a second run, the read-out at a's point gives b's value at the same step too;
        // hiding b (the run list's checkbox) hides both its series and drops it from there.
        monitor.addRun(run("b"));
        EventBatch other;
        for (int i = 1; i <= 100; ++i)
            other.append(trainEvent(i, 20.0 - i * 0.05, 0.02 * i));
        monitor.ingest("/runs/b", other, false);
        monitor.flush();
        plot->replotNow();
        const QPointF at50 = plot->pointPosition("/runs/a", false, 49);
        const QString both = plot->readoutAt(at50.toPoint());
        QVERIFY2(both.contains("step 50") && both.contains("a train: 7.5000")
                && both.contains("b train: 17.5000"),
            qPrintable(both));
        plot->replotNow();
        monitor.grab().save(QDir::temp().filePath("test_training_monitor_hover.png"));
        monitor.setRunShown("/runs/b", false);
        QVERIFY(!monitor.isRunShown("/runs/b"));
        QVERIFY(!plot->isRunVisible("/runs/b", false));
        QVERIFY(!monitor.accuracyPlot()->isRunVisible("/runs/b", false));
        QVERIFY(!plot->readoutAt(at50.toPoint()).contains("b train"));
        // One legend for both plots, below them; a hidden run is struck out there.
        QVERIFY(!plot->isLegendShown());
        QVERIFY(!monitor.accuracyPlot()->isLegendShown());
        QVERIFY2(monitor.legend()->text().contains(monitor.runColor("/runs/a").name())
                && monitor.legend()->text().contains("<s>b</s>"),
            qPrintable(monitor.legend()->text()));
        // A validation series that appears while the run is hidden starts hidden.
        monitor.ingest("/runs/b", { makeEvent(EventKind::Valid, 100, 1, 15.0, 0.5, 1) }, false);
        monitor.flush();
        QCOMPARE(plot->pointCount("/runs/b", true), 1);
        QVERIFY(!plot->isRunVisible("/runs/b", true));
        monitor.setRunShown("/runs/b", true);
        QVERIFY(plot->isRunVisible("/runs/b", true) && plot->isRunVisible("/runs/b", false));
        // The per-epoch table of the selected run.
        monitor.selectRun("/runs/a");
        QCOMPARE(monitor.epochTable()->rowCount(), 1);
        QCOMPARE(monitor.epochTable()->item(0, 3)->text(), QString("7.0000"));
        // CSV export has every train, valid and epoch event: a's 102, b's 101.
        QTemporaryDir dir;
        QVERIFY(monitor.exportCsv(dir.filePath("m.csv")));
        QFile csv(dir.filePath("m.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 1 + 102 + 101);
        QString written;
        QVERIFY(monitor.exportPlots(dir.filePath("curves.png"), &written));
        QVERIFY(QFileInfo(dir.filePath("curves-loss.png")).size() > 1000);
        // The exported image carries its own legend (it stands alone); the screen keeps one.
        QImage exported(dir.filePath("curves-loss.png"));
        QVERIFY(!exported.isNull());
        exported.save(QDir::temp().filePath("test_training_monitor_export.png"));
        QVERIFY(!plot->isLegendShown());
    }

    // Per prompt, each run's reply at the chosen step (its latest evaluation at or before it),
    // marked when it changed; a click on a curve point chooses the step.
    void probePanelShowsRepliesAtTheChosenStep()
    {
        TrainingMonitor monitor;
        monitor.resize(1000, 700);
        monitor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&monitor));
        monitor.addRun(run("a"));
        monitor.addRun(run("b"));
        ProbePanel *panel = monitor.probePanel();
        QCOMPARE(panel->selectedStep(), qint64(-1)); // nothing yet
        QVERIFY(!panel->isVisible()); // behind the plots: its table waits until shown
        panel->setReplies("/runs/a",
            { probe(50, 0, "你好", "嗯"), probe(50, 1, "吃飯了嗎", "嗯"),
                probe(100, 0, "你好", "你好啊"), probe(100, 1, "吃飯了嗎", "嗯") });
        panel->setReplies("/runs/b", { probe(100, 0, "你好", "哈囉") });
        QCOMPARE(panel->prompts(), QStringList({ "你好", "吃飯了嗎" }));
        QCOMPARE(panel->selectedStep(), qint64(100)); // the latest evaluation
        QCOMPARE(panel->replyAt(0, "/runs/a"), QString("你好啊"));
        QCOMPARE(panel->replyAt(0, "/runs/b"), QString("哈囉"));

        panel->showStep(70); // between evaluations: a's at 50; b has none that early
        QCOMPARE(panel->selectedStep(), qint64(50));
        QCOMPARE(panel->replyAt(0, "/runs/a"), QString("嗯"));
        QCOMPARE(panel->replyAt(1, "/runs/a"), QString("嗯"));
        QCOMPARE(panel->replyAt(0, "/runs/b"), QString());

        // How a's reply to the first prompt changed, evaluation by evaluation.
        panel->showHistory(0, "/runs/a");
        const QString history = panel->historyText();
        QVERIFY2(history.contains("step 50") && history.contains("step 100")
                && history.contains("你好啊") && history.indexOf("嗯") < history.indexOf("你好啊"),
            qPrintable(history));

        // New evaluations arrive while an earlier step is chosen: the choice stays.
        panel->setReplies(
            "/runs/b", { probe(100, 0, "你好", "哈囉"), probe(150, 0, "你好", "早") });
        QCOMPARE(panel->selectedStep(), qint64(50));

        // A click on a's training curve at step 100 shows the replies at 100.
        monitor.ingest("/runs/a", descending(1, 150), false);
        monitor.flush();
        MetricsPlot *plot = monitor.lossPlot();
        plot->replotNow();
        QWidget *canvas = canvasOf(plot);
        QVERIFY(canvas);
        const QPoint at = plot->pointPosition("/runs/a", false, 99).toPoint();
        QTest::mouseClick(canvas, Qt::LeftButton, {}, at);
        QCOMPARE(panel->selectedStep(), qint64(100));
        QCOMPARE(panel->replyAt(0, "/runs/a"), QString("你好啊"));
        QVERIFY(panel->isVisible()); // its tab came to the front
        // The table, filled when the panel came into sight, shows the same.
        const auto *table = panel->findChild<QTableWidget *>();
        QVERIFY(table);
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->columnCount(), 3);
        QVERIFY2(
            table->item(0, 1)->text().endsWith("你好啊"), qPrintable(table->item(0, 1)->text()));
        monitor.removeRun("/runs/b");
        QCOMPARE(panel->replyAt(0, "/runs/b"), QString());
    }
};

QTEST_MAIN(TestTrainingMonitor)
#include "test_training_monitor.moc"
