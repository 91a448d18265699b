#include "main_window.h"

#include "chat_column.h"
#include "chat_pane.h"
#include "chatbench/runtime.h"
#include "engine_controller.h"
#include "model_comparison.h"
#include "new_run_dialog.h"
#include "report_export.h"
#include "run_list.h"
#include "training_monitor.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QToolBar>

namespace chatbench::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("ChatBench"));
    registerEngineTypes();
    m_panes = new QTabWidget(this);
    m_panes->setDocumentMode(true);
    m_monitor = new TrainingMonitor(m_panes);
    m_chat = new ChatPane(m_panes);
    m_comparison = new ModelComparison(m_panes);
    m_panes->addTab(m_monitor, tr("Training &Monitor"));
    m_panes->addTab(m_chat, tr("&Chat"));
    m_panes->addTab(m_comparison, tr("Model C&omparison"));
    setCentralWidget(m_panes);

    m_activity = new QLabel(tr("Engine idle"), this);
    m_engineStatus = new QLabel(this);
    m_engineStatus->setText(tr("Engine: %1, %2 threads")
                                .arg(QString::fromUtf8(engineDescription()))
                                .arg(computeThreads()));
    statusBar()->addPermanentWidget(m_activity);
    statusBar()->addPermanentWidget(m_engineStatus);
    createDock();
    createMenus();
    startEngine();
    connectEngine();

    QSettings settings;
    if (!restoreGeometry(settings.value("mainWindow/geometry").toByteArray()))
        resize(1280, 800);
    restoreState(settings.value("mainWindow/state").toByteArray());
    m_panes->setCurrentIndex(settings.value("mainWindow/pane", 0).toInt());
}

MainWindow::~MainWindow()
{
    stopEngine();
}

void MainWindow::startEngine()
{
    // Parentless worker on its own thread, deleted there when the thread ends.
    m_engineThread = new QThread(this);
    m_engineThread->setObjectName("engine");
    m_engine = new EngineController;
    m_engine->moveToThread(m_engineThread);
    connect(m_engineThread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_engineThread->start();
}

void MainWindow::stopEngine()
{
    if (!m_engineThread)
        return;
    m_engine->cancelChat();
    // Runs trained here stop with a checkpoint; waiting is right: quitting must not lose them.
    QMetaObject::invokeMethod(m_engine, &EngineController::shutdown, Qt::BlockingQueuedConnection);
    m_engineThread->quit();
    m_engineThread->wait();
    m_engineThread = nullptr;
    m_engine = nullptr;
}

void MainWindow::connectEngine()
{
    EngineController *e = m_engine;
    // Engine -> widgets (queued: the sender lives on the engine thread).
    connect(e, &EngineController::workspaceOpened, this,
        [this](const QString &, const QStringList &kept) {
            for (const QString &dir : m_monitor->runs())
                if (!kept.contains(dir)) {
                    m_monitor->removeRun(dir);
                    m_runList->removeRun(dir);
                }
        });
    connect(e, &EngineController::runFound, this, [this](const RunSummary &run) {
        m_monitor->addRun(run);
        m_runList->addRun(run, m_monitor->runColor(run.dir));
        m_chat->addSource(run.name, run.dir);
        if (m_monitor->selectedRun().isEmpty())
            m_monitor->selectRun(run.dir);
    });
    connect(e, &EngineController::metrics, m_monitor, &TrainingMonitor::ingest);
    connect(e, &EngineController::runStateChanged, this,
        [this](const QString &dir, const QString &state) {
            m_monitor->setRunState(dir, state);
            m_runList->setState(dir, state);
        });
    connect(e, &EngineController::engineActivity, this,
        [this](const QString &what) { m_activity->setText(tr("Engine %1").arg(what)); });
    connect(e, &EngineController::error, this, &MainWindow::showError);
    connect(e, &EngineController::error, m_chat, &ChatPane::onError);

    connect(m_monitor, &TrainingMonitor::runProgress, m_runList, &RunList::setLatest);
    connect(m_monitor, &TrainingMonitor::runSpeed, m_runList, &RunList::setSpeed);
    connect(m_monitor, &TrainingMonitor::runEnded, m_runList, &RunList::setState);
    connect(m_monitor, &TrainingMonitor::startRequested, e, &EngineController::startRun);
    connect(m_monitor, &TrainingMonitor::pauseRequested, e, &EngineController::pauseRun);
    connect(m_monitor, &TrainingMonitor::resumeRequested, e, &EngineController::resumeRun);
    connect(m_monitor, &TrainingMonitor::stopRequested, e, &EngineController::stopRun);
    connect(m_monitor, &TrainingMonitor::selectedRunChanged, m_runList, &RunList::selectRun);
    connect(m_runList, &RunList::runSelected, m_monitor, &TrainingMonitor::selectRun);

    connect(m_chat, &ChatPane::loadRequested, e, &EngineController::loadChatModels);
    connect(m_chat, &ChatPane::sendRequested, e, &EngineController::sendChat);
    connect(m_chat, &ChatPane::regenerateRequested, e, &EngineController::regenerateChat);
    connect(m_chat, &ChatPane::clearRequested, e, &EngineController::clearChat);
    connect(m_chat, &ChatPane::editRequested, e, &EngineController::editChatTurn);
    connect(m_chat, &ChatPane::saveRequested, e, &EngineController::saveTranscript);
    connect(m_chat, &ChatPane::openRequested, e, &EngineController::openTranscript);
    // Not queued: the engine thread is busy generating; the flag is atomic.
    connect(m_chat, &ChatPane::stopRequested, this, [this] { m_engine->cancelChat(); });
    connect(e, &EngineController::chatModelsLoaded, m_chat, &ChatPane::onModelsLoaded);
    connect(e, &EngineController::chatTurnStarted, m_chat, &ChatPane::onTurnStarted);
    connect(e, &EngineController::chatToken, m_chat, &ChatPane::onToken);
    connect(e, &EngineController::chatTurnFinished, m_chat, &ChatPane::onTurnFinished);
    connect(e, &EngineController::chatCleared, m_chat, &ChatPane::onCleared);
    connect(e, &EngineController::transcriptSaved, this,
        [this](const QString &file) { statusBar()->showMessage(tr("Saved %1").arg(file), 5000); });

    connect(m_comparison, &ModelComparison::compareRequested, this,
        [this](const QStringList &prompts, const QStringList &references) {
            const ChatModelSpecs specs = m_chat->specs();
            m_comparison->begin(specs, prompts, references);
            QMetaObject::invokeMethod(m_engine, [e = m_engine, specs, prompts, references] {
                e->compareModels(specs, prompts, references);
            });
        });
    connect(
        m_comparison, &ModelComparison::stopRequested, this, [this] { m_engine->cancelChat(); });
    connect(e, &EngineController::comparisonReply, m_comparison, &ModelComparison::onReply);
    connect(e, &EngineController::comparisonMetrics, m_comparison, &ModelComparison::onMetrics);
    connect(e, &EngineController::comparisonFinished, m_comparison, &ModelComparison::onFinished);
    connect(m_comparison, &ModelComparison::error, this, &MainWindow::showError);
    connect(e, &EngineController::reportPrepared, this, &MainWindow::writeAssembledReport);
}

void MainWindow::createDock()
{
    m_runList = new RunList(this);
    auto *dock = new QDockWidget(tr("Runs"), this);
    dock->setObjectName("runsDock"); // saveState() needs it
    dock->setWidget(m_runList);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({ dock }, { 340 }, Qt::Horizontal);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(
        tr("&Open Workspace…"), QKeySequence::Open, this, &MainWindow::chooseWorkspace);
    QAction *create
        = file->addAction(tr("&New Run…"), QKeySequence::New, this, &MainWindow::newRun);
    file->addSeparator();
    file->addAction(
        tr("Export &Plots…"), QKeySequence(tr("Ctrl+Shift+P")), this, &MainWindow::exportPlots);
    file->addAction(
        tr("Export Metrics &CSV…"), QKeySequence(tr("Ctrl+Shift+C")), this, &MainWindow::exportCsv);
    file->addAction(tr("Export &Report…"), this, &MainWindow::exportReport);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    const auto onSelected = [this](void (EngineController::*slot)(const QString &)) {
        return [this, slot] {
            const QString dir = selectedRun();
            if (dir.isEmpty()) {
                statusBar()->showMessage(tr("Select a run first"), 3000);
                return;
            }
            // Two processes appending to one metrics.jsonl and checkpoints/ would corrupt the run.
            if (m_monitor->runState(dir) == "external") {
                statusBar()->showMessage(
                    tr("Another process is training this run; it can only be watched here"), 5000);
                return;
            }
            QMetaObject::invokeMethod(m_engine, [e = m_engine, slot, dir] { (e->*slot)(dir); });
        };
    };
    QAction *start = run->addAction(
        tr("&Start"), QKeySequence(tr("Ctrl+R")), this, onSelected(&EngineController::startRun));
    QAction *pause = run->addAction(tr("&Pause"), QKeySequence(tr("Ctrl+Shift+Space")), this,
        onSelected(&EngineController::pauseRun));
    QAction *resume = run->addAction(tr("R&esume"), QKeySequence(tr("Ctrl+Shift+R")), this,
        onSelected(&EngineController::resumeRun));
    QAction *stop = run->addAction(
        tr("S&top"), QKeySequence(tr("Ctrl+.")), this, onSelected(&EngineController::stopRun));
    run->addSeparator();
    QAction *chat = run->addAction(tr("&Chat with It"), this, [this] {
        const QString dir = selectedRun();
        if (dir.isEmpty())
            return;
        ChatModelSpec spec = m_chat->columns().last()->spec();
        spec.source = dir;
        spec.name = m_runList->itemFor(dir) ? m_runList->itemFor(dir)->text(0) : QString();
        spec.checkpoint = "latest";
        // The first column, still without a model, takes it; otherwise one more column.
        ChatColumn *only = m_chat->columns().size() == 1 ? m_chat->columns().first() : nullptr;
        if (only && !QFileInfo::exists(only->spec().source))
            only->setSpec(spec);
        else
            m_chat->addColumn(&spec);
        m_panes->setCurrentWidget(m_chat);
    });
    // The run list's right-click menu is the Run menu.
    m_runList->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_runList->addActions({ start, pause, resume, stop, chat });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_panes->count(); ++i)
        view->addAction(m_panes->tabText(i).remove('&'), QKeySequence(tr("Ctrl+%1").arg(i + 1)),
            this, [this, i] { m_panes->setCurrentIndex(i); });
    view->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ChatBench"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    QToolBar *tools = addToolBar(tr("Main"));
    tools->setObjectName("mainToolBar");
    tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    tools->addAction(open);
    tools->addAction(create);
    tools->addSeparator();
    for (QAction *a : { start, pause, resume, stop })
        tools->addAction(a);
}

QString MainWindow::selectedRun() const
{
    const QString fromList = m_runList->selectedRun();
    return fromList.isEmpty() ? m_monitor->selectedRun() : fromList;
}

void MainWindow::openWorkspace(const QString &dir)
{
    m_workspace = dir;
    setWindowTitle(tr("ChatBench — %1").arg(dir));
    QSettings().setValue("workspace/last", dir);
    QMetaObject::invokeMethod(m_engine, [e = m_engine, dir] { e->openWorkspace(dir); });
}

void MainWindow::startDemo(const QString &workspaceIn)
{
    const QString workspace = QDir(workspaceIn).absolutePath();
    QDir().mkpath(workspace + "/runs");
    openWorkspace(workspace + "/runs");
    QMetaObject::invokeMethod(m_engine, [e = m_engine, workspace] { e->startDemo(workspace); });
}

void MainWindow::chooseWorkspace()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open workspace"), QSettings().value("workspace/last").toString());
    if (!dir.isEmpty())
        openWorkspace(dir);
}

void MainWindow::newRun()
{
    NewRunDialog dialog(m_workspace, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString dir = dialog.runFolder(), json = dialog.runJson();
    QMetaObject::invokeMethod(m_engine, [e = m_engine, dir, json] { e->createRun(dir, json); });
    m_panes->setCurrentWidget(m_monitor);
}

void MainWindow::exportPlots()
{
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export plots"), m_workspace + "/curves.png", tr("PNG (*.png);;PDF (*.pdf)"));
    if (file.isEmpty())
        return;
    QString written;
    if (m_monitor->exportPlots(file, &written))
        statusBar()->showMessage(tr("Wrote %1").arg(written), 5000);
    else
        showError(tr("Export plots"), tr("Cannot write %1").arg(written));
}

void MainWindow::exportCsv()
{
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export metrics"), m_workspace + "/metrics.csv", tr("CSV (*.csv)"));
    if (file.isEmpty())
        return;
    if (m_monitor->exportCsv(file))
        statusBar()->showMessage(tr("Wrote %1").arg(file), 5000);
    else
        showError(tr("Export metrics"), tr("Cannot write %1").arg(file));
}

void MainWindow::exportReport()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Export the progress report into"), m_workspace);
    if (!dir.isEmpty())
        exportReportTo(dir);
}

void MainWindow::exportReportTo(const QString &dir)
{
    const QStringList runs = m_runList->runs();
    if (runs.isEmpty()) {
        showError(tr("Export report"),
            tr("%1: no runs to report on; open a workspace with runs first").arg(dir));
        return;
    }
    statusBar()->showMessage(tr("Assembling the report of %n run(s)…", nullptr, int(runs.size())));
    QMetaObject::invokeMethod(m_engine, [e = m_engine, runs, dir] { e->prepareReport(runs, dir); });
}

// On the GUI thread: QCustomPlot draws here (a few milliseconds); the files are small.
void MainWindow::writeAssembledReport(const QString &dir, const AssembledReportPtr &report)
{
    try {
        const ReportFiles files = writeReportFiles(*report, dir.toStdString());
        const QString markdown = QString::fromStdString(files.markdown.string());
        statusBar()->showMessage(tr("Wrote the report %1").arg(markdown), 10000);
        Q_EMIT reportExported(markdown);
    } catch (const std::exception &e) {
        showError(tr("Export report"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::showError(const QString &what, const QString &message)
{
    statusBar()->showMessage(tr("%1 failed: %2").arg(what, message), 10000);
    // Non-modal: an error must not stop the curves or a chat in another pane.
    auto *box = new QMessageBox(QMessageBox::Warning, what, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About ChatBench"),
        tr("<h3>ChatBench %1</h3><p>Train, chat with and compare GPT-2 dialogue "
           "models.</p><p>%2</p>")
            .arg(QStringLiteral(CHATBENCH_VERSION), QString::fromUtf8(engineDescription())));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue("mainWindow/geometry", saveGeometry());
    settings.setValue("mainWindow/state", saveState());
    settings.setValue("mainWindow/pane", m_panes->currentIndex());
    event->accept();
}

} // namespace chatbench::ui
