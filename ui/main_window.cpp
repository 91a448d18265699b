#include "main_window.h"

#include "chat_column.h"
#include "chat_pane.h"
#include "chat_service.h"
#include "chatbench/report_assembly.h"
#include "chatbench/run_directory.h"
#include "chatbench/runtime.h"
#include "comparison_service.h"
#include "download_dialog.h"
#include "engine_thread.h"
#include "experiment_dialog.h"
#include "language.h"
#include "model_comparison.h"
#include "new_run_dialog.h"
#include "probe_panel.h"
#include "report_files.h"
#include "report_service.h"
#include "run_list.h"
#include "shortcuts_dialog.h"
#include "training_monitor.h"
#include "training_runs.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>

namespace chatbench::ui {

namespace {

QString noRunsMessage(const QString &dir)
{
    return MainWindow::tr("No runs found in %1 or its runs/ folder (a run is a folder with a "
                          "run.json; File → New Run creates one).")
        .arg(QDir::toNativeSeparators(dir));
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent), m_hub(hubSettingsFromEnvironment())
{
    m_panes = new QTabWidget(this);
    m_panes->setDocumentMode(true);
    m_monitor = new TrainingMonitor(m_panes);
    m_chat = new ChatPane(m_panes);
    m_comparison = new ModelComparison(m_panes);
    for (QWidget *pane : { static_cast<QWidget *>(m_monitor), static_cast<QWidget *>(m_chat),
             static_cast<QWidget *>(m_comparison) })
        m_panes->addTab(pane, QString());
    setCentralWidget(m_panes);

    m_activity = new QLabel(this);
    m_engineStatus = new QLabel(this);
    statusBar()->addPermanentWidget(m_activity);
    statusBar()->addPermanentWidget(m_engineStatus);
    m_engine = new EngineThread(m_hub, this);
    createDock();
    m_tools = addToolBar(QString());
    m_tools->setObjectName("mainToolBar"); // saveState() needs it
    m_tools->setToolButtonStyle(Qt::ToolButtonTextOnly);
    retranslate();
    connectEngine();

    QSettings settings;
    if (!restoreGeometry(settings.value("mainWindow/geometry").toByteArray()))
        resize(1280, 800);
    restoreState(settings.value("mainWindow/state").toByteArray());
    m_panes->setCurrentIndex(settings.value("mainWindow/pane", 0).toInt());
}

MainWindow::~MainWindow()
{
    delete m_engine; // stops the runs trained here (with checkpoints) before the panes go
}

void MainWindow::connectEngine()
{
    TrainingRuns *runs = m_engine->runs();
    ChatService *chat = m_engine->chat();
    ComparisonService *comparison = m_engine->comparison();
    ReportService *report = m_engine->report();
    // Engine -> widgets (queued: the senders live on the engine thread).
    connect(runs, &TrainingRuns::workspaceOpened, this, &MainWindow::onWorkspaceOpened);
    connect(runs, &TrainingRuns::runFound, this, [this](const RunSummary &run) {
        if (!m_noRunsMessage.isEmpty() && statusBar()->currentMessage() == m_noRunsMessage)
            statusBar()->clearMessage();
        m_noRunsMessage.clear();
        m_monitor->addRun(run);
        m_runList->addRun(run, m_monitor->runColor(run.dir));
        m_chat->addSource(run.name, run.dir);
        if (m_monitor->selectedRun().isEmpty())
            m_monitor->selectRun(run.dir);
    });
    connect(runs, &TrainingRuns::metrics, m_monitor, &TrainingMonitor::ingest);
    connect(runs, &TrainingRuns::probes, m_monitor->probePanel(), &ProbePanel::setReplies);
    connect(runs, &TrainingRuns::runStateChanged, this, [this](const QString &dir, RunState state) {
        m_monitor->setRunState(dir, state);
        m_runList->setState(dir, state);
    });
    connect(runs, &TrainingRuns::activity, this, &MainWindow::showActivity);
    connect(chat, &ChatService::activity, this, &MainWindow::showActivity);
    connect(comparison, &ComparisonService::activity, this, &MainWindow::showActivity);
    connect(report, &ReportService::activity, this, &MainWindow::showActivity);
    connect(runs, &TrainingRuns::error, this, &MainWindow::showError);
    connect(chat, &ChatService::error, this, &MainWindow::showError);
    connect(chat, &ChatService::error, m_chat, &ChatPane::onError);
    connect(comparison, &ComparisonService::error, this, &MainWindow::showError);
    connect(report, &ReportService::error, this, &MainWindow::showError);

    connect(m_monitor, &TrainingMonitor::runProgress, m_runList, &RunList::setLatest);
    connect(m_monitor, &TrainingMonitor::runSpeed, m_runList, &RunList::setSpeed);
    connect(m_monitor, &TrainingMonitor::runEnded, m_runList, &RunList::setState);
    connect(m_monitor, &TrainingMonitor::runFailed, this,
        [this](const QString &dir, const QString &message, bool justNow) {
            m_runList->setFailure(dir, message);
            // A failure found in a run's history shows in the list; one that happens now is
            // announced too (status bar and a non-modal notice).
            if (justNow && !message.isEmpty()) {
                const QTreeWidgetItem *item = m_runList->itemFor(dir);
                showError(tr("Run %1").arg(item ? item->text(0) : dir), message);
            }
        });
    connect(m_monitor, &TrainingMonitor::startRequested, runs, &TrainingRuns::startRun);
    connect(m_monitor, &TrainingMonitor::pauseRequested, runs, &TrainingRuns::pauseRun);
    connect(m_monitor, &TrainingMonitor::resumeRequested, runs, &TrainingRuns::resumeRun);
    connect(m_monitor, &TrainingMonitor::stopRequested, runs, &TrainingRuns::stopRun);
    connect(m_monitor, &TrainingMonitor::selectedRunChanged, m_runList, &RunList::selectRun);
    connect(m_runList, &RunList::runSelected, m_monitor, &TrainingMonitor::selectRun);
    connect(m_runList, &RunList::runShownChanged, m_monitor, &TrainingMonitor::setRunShown);

    connect(m_chat, &ChatPane::loadRequested, chat, &ChatService::loadModels);
    connect(m_chat, &ChatPane::sendRequested, chat, &ChatService::send);
    connect(m_chat, &ChatPane::regenerateRequested, chat, &ChatService::regenerate);
    connect(m_chat, &ChatPane::versionRequested, chat, &ChatService::showVersion);
    connect(m_chat, &ChatPane::addModelRequested, this, [this] {
        const auto runs = m_runList->selectedRuns();
        if (runs.isEmpty())
            m_chat->addColumn();
        else
            m_chat->addRuns(runs);
    });
    connect(m_chat, &ChatPane::clearRequested, chat, &ChatService::clear);
    connect(m_chat, &ChatPane::editRequested, chat, &ChatService::editTurn);
    connect(m_chat, &ChatPane::saveRequested, chat, &ChatService::saveTranscript);
    connect(m_chat, &ChatPane::openRequested, chat, &ChatService::openTranscript);
    connect(m_chat, &ChatPane::hubModelRequested, this, &MainWindow::pickHubModel);
    // Not queued: the engine thread is busy generating; the flag is atomic.
    connect(m_chat, &ChatPane::stopRequested, this, [chat] { chat->cancel(); });
    connect(chat, &ChatService::modelsLoaded, m_chat, &ChatPane::onModelsLoaded);
    connect(chat, &ChatService::modelsRefused, m_chat, &ChatPane::onModelsRefused);
    connect(chat, &ChatService::opened, m_chat, &ChatPane::onOpened);
    connect(chat, &ChatService::replying, m_chat, &ChatPane::onReplying);
    connect(chat, &ChatService::token, m_chat, &ChatPane::onToken);
    connect(chat, &ChatService::conversation, m_chat, &ChatPane::onConversation);
    connect(chat, &ChatService::generated, m_chat, &ChatPane::onGenerated);
    connect(chat, &ChatService::transcriptSaved, this,
        [this](const QString &file) { statusBar()->showMessage(tr("Saved %1").arg(file), 5000); });

    connect(m_comparison, &ModelComparison::compareRequested, this,
        [this, comparison](const PromptSet &prompts) {
            const ChatModelSpecs specs = m_chat->specs();
            m_comparison->setVotesFolder(
                m_workspace.isEmpty() ? QString() : QDir(m_workspace).filePath("comparisons"));
            m_comparison->begin(specs, prompts);
            QMetaObject::invokeMethod(
                comparison, [comparison, specs, prompts] { comparison->compare(specs, prompts); });
        });
    connect(m_comparison, &ModelComparison::stopRequested, this,
        [comparison] { comparison->cancel(); });
    connect(comparison, &ComparisonService::modelsLoaded, m_comparison,
        &ModelComparison::onModelsLoaded);
    connect(comparison, &ComparisonService::progress, m_comparison, &ModelComparison::onProgress);
    connect(comparison, &ComparisonService::reply, m_comparison, &ModelComparison::onReply);
    connect(comparison, &ComparisonService::metrics, m_comparison, &ModelComparison::onMetrics);
    connect(comparison, &ComparisonService::finished, m_comparison, &ModelComparison::onFinished);
    connect(m_comparison, &ModelComparison::error, this, &MainWindow::showError);
    connect(report, &ReportService::prepared, this, &MainWindow::writeAssembledReport);
}

void MainWindow::createDock()
{
    m_runList = new RunList(this);
    m_runsDock = new QDockWidget(this);
    m_runsDock->setObjectName("runsDock"); // saveState() needs it
    m_runsDock->setWidget(m_runList);
    addDockWidget(Qt::LeftDockWidgetArea, m_runsDock);
    resizeDocks({ m_runsDock }, { 340 }, Qt::Horizontal);
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    setWindowTitle(m_workspace.isEmpty()
            ? tr("ChatBench")
            : tr("ChatBench — %1").arg(QDir::toNativeSeparators(m_workspace)));
    m_panes->setTabText(m_panes->indexOf(m_monitor), tr("Training &Monitor"));
    m_panes->setTabText(m_panes->indexOf(m_chat), tr("&Chat"));
    m_panes->setTabText(m_panes->indexOf(m_comparison), tr("Model C&omparison"));
    m_runsDock->setWindowTitle(tr("Runs"));
    m_tools->setWindowTitle(tr("Main"));
    m_activity->setMinimumSize(0, 0); // sized again for the new language's words
    showActivity(m_activityWhat);
    m_engineStatus->setText(tr("Engine: %1, %2 threads")
                                .arg(QString::fromUtf8(engineDescription()))
                                .arg(computeThreads()));
    if (!m_noRunsMessage.isEmpty()) {
        const bool shown = statusBar()->currentMessage() == m_noRunsMessage;
        m_noRunsMessage = noRunsMessage(m_workspace);
        if (shown)
            statusBar()->showMessage(m_noRunsMessage);
    }
    createMenus();
}

void MainWindow::showActivity(const QString &what)
{
    m_activityWhat = what;
    m_activity->setText(what.isEmpty() ? tr("Engine idle") : tr("Engine %1").arg(what));
    // A fixed size, widened for a longer text only: the chat changes this text twice a turn,
    // and a label whose size hint changes lays the whole window out again.
    const QSize hint = m_activity->sizeHint();
    if (hint.width() > m_activity->minimumWidth() || hint.height() != m_activity->minimumHeight())
        m_activity->setFixedSize(std::max(hint.width(), m_activity->minimumWidth()), hint.height());
}

void MainWindow::createMenus()
{
    // The previous language's menus: their actions go with them (the toolbar's and the run
    // list's included). Later, not now: this may run inside one of their actions' handlers.
    menuBar()->clear();
    m_tools->clear();
    for (QAction *a : m_runList->actions())
        m_runList->removeAction(a);
    for (QMenu *menu : menuBar()->findChildren<QMenu *>(QString(), Qt::FindDirectChildrenOnly))
        menu->deleteLater();

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(
        tr("&Open Workspace…"), QKeySequence::Open, this, &MainWindow::chooseWorkspace);
    QAction *create = file->addAction(
        tr("&New Experiment…"), QKeySequence::New, this, [this] { newExperiment(); });
    file->addAction(tr("New &Run…"), QKeySequence(tr("Ctrl+Shift+N")), this, &MainWindow::newRun);
    m_recent = file->addMenu(tr("Open &Recent"));
    connect(m_recent, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu();
    QAction *reopen = file->addAction(tr("Reopen Last Workspace at Start-up"));
    reopen->setCheckable(true);
    reopen->setChecked(QSettings().value("workspace/reopenLast", true).toBool());
    connect(reopen, &QAction::toggled, this,
        [](bool on) { QSettings().setValue("workspace/reopenLast", on); });
    file->addSeparator();
    file->addAction(
        tr("&Download Model…"), QKeySequence(tr("Ctrl+Shift+D")), this, &MainWindow::downloadModel);
    file->addSeparator();
    file->addAction(
        tr("Export &Plots…"), QKeySequence(tr("Ctrl+Shift+P")), this, &MainWindow::exportPlots);
    file->addAction(
        tr("Export Metrics &CSV…"), QKeySequence(tr("Ctrl+Shift+C")), this, &MainWindow::exportCsv);
    file->addAction(tr("Export &Report…"), this, &MainWindow::exportReport);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    const auto onSelected = [this](void (TrainingRuns::*slot)(const QString &)) {
        return [this, slot] {
            const QString dir = selectedRun();
            if (dir.isEmpty()) {
                statusBar()->showMessage(tr("Select a run first"), 3000);
                return;
            }
            // Two processes appending to one metrics.jsonl and checkpoints/ would corrupt the run.
            if (m_monitor->runState(dir) == RunState::External) {
                statusBar()->showMessage(
                    tr("Another process is training this run; it can only be watched here"), 5000);
                return;
            }
            TrainingRuns *runs = m_engine->runs();
            QMetaObject::invokeMethod(runs, [runs, slot, dir] { (runs->*slot)(dir); });
        };
    };
    QAction *start = run->addAction(
        tr("&Start"), QKeySequence(tr("Ctrl+R")), this, onSelected(&TrainingRuns::startRun));
    QAction *pause = run->addAction(tr("&Pause"), QKeySequence(tr("Ctrl+Shift+Space")), this,
        onSelected(&TrainingRuns::pauseRun));
    QAction *resume = run->addAction(tr("R&esume"), QKeySequence(tr("Ctrl+Shift+R")), this,
        onSelected(&TrainingRuns::resumeRun));
    QAction *stop = run->addAction(
        tr("S&top"), QKeySequence(tr("Ctrl+.")), this, onSelected(&TrainingRuns::stopRun));
    run->addSeparator();
    QAction *chat = run->addAction(tr("&Chat with It"), this, [this] {
        auto runs = m_runList->selectedRuns();
        const QString dir = selectedRun();
        if (runs.isEmpty() && !dir.isEmpty())
            runs.append({ m_runList->itemFor(dir) ? m_runList->itemFor(dir)->text(0) : dir, dir });
        if (runs.isEmpty())
            return;
        m_chat->addRuns(runs);
        m_panes->setCurrentWidget(m_chat);
    });
    QAction *clone = run->addAction(tr("C&lone Run…"), this, [this] {
        const QString dir = selectedRun();
        if (dir.isEmpty()) {
            statusBar()->showMessage(tr("Select a run first"), 3000);
            return;
        }
        try {
            const RunConfig config = RunDirectory::open(dir.toStdString()).config();
            newExperiment(&config);
        } catch (const std::exception &e) {
            showError(tr("Clone run %1").arg(dir), QString::fromUtf8(e.what()));
        }
    });
    // The run list's right-click menu is the Run menu.
    m_runList->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_runList->addActions({ start, pause, resume, stop, chat, clone });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_panes->count(); ++i)
        view->addAction(m_panes->tabText(i).remove('&'), QKeySequence(tr("Ctrl+%1").arg(i + 1)),
            this, [this, i] { m_panes->setCurrentIndex(i); });
    view->addSeparator();
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
    view->addSeparator();
    QMenu *languages = view->addMenu(tr("&Language"));
    auto *oneLanguage = new QActionGroup(languages);
    for (const Language language :
        { Language::System, Language::English, Language::TraditionalChinese }) {
        QAction *choose = languages->addAction(
            languageName(language), this, [language] { chooseLanguage(language); });
        choose->setCheckable(true);
        choose->setChecked(language == languageChoice());
        oneLanguage->addAction(choose);
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), QKeySequence(tr("Ctrl+/")), this, [this] {
        auto *dialog = new ShortcutsDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show(); // non-modal: it can stay open beside the panes
    });
    help->addAction(tr("&About ChatBench"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    m_tools->addAction(open);
    m_tools->addAction(create);
    m_tools->addSeparator();
    for (QAction *a : { start, pause, resume, stop })
        m_tools->addAction(a);
}

QString MainWindow::selectedRun() const
{
    const QString fromList = m_runList->selectedRun();
    return fromList.isEmpty() ? m_monitor->selectedRun() : fromList;
}

void MainWindow::openWorkspace(const QString &dir)
{
    m_workspace = dir;
    TrainingRuns *runs = m_engine->runs();
    QMetaObject::invokeMethod(runs, [runs, dir] { runs->openWorkspace(dir); });
}

void MainWindow::onWorkspaceOpened(const QString &dir, const QStringList &kept, int runs)
{
    for (const QString &run : m_monitor->runs())
        if (!kept.contains(run)) {
            m_monitor->removeRun(run);
            m_runList->removeRun(run);
        }
    m_workspace = dir;
    setWindowTitle(tr("ChatBench — %1").arg(QDir::toNativeSeparators(dir)));
    QSettings settings;
    settings.setValue("workspace/last", dir);
    QStringList recent = recentWorkspaces();
    recent.removeAll(dir);
    recent.prepend(dir);
    settings.setValue("workspace/recent", QStringList(recent.mid(0, kRecentWorkspaces)));
    m_noRunsMessage.clear();
    if (runs == 0 && kept.isEmpty()) {
        // Said where the user looks; it stays until a run appears or another folder opens.
        m_noRunsMessage = noRunsMessage(dir);
        statusBar()->showMessage(m_noRunsMessage);
    } else {
        statusBar()->clearMessage();
    }
}

bool MainWindow::reopenLastWorkspace()
{
    QSettings settings;
    const QString last = settings.value("workspace/last").toString();
    if (!settings.value("workspace/reopenLast", true).toBool() || last.isEmpty()
        || !QFileInfo(last).isDir())
        return false;
    openWorkspace(last);
    return true;
}

QStringList MainWindow::recentWorkspaces()
{
    return QSettings().value("workspace/recent").toStringList();
}

void MainWindow::fillRecentMenu()
{
    m_recent->clear();
    const QStringList recent = recentWorkspaces();
    for (const QString &dir : recent) {
        QAction *open = m_recent->addAction(QDir::toNativeSeparators(dir), this, [this, dir] {
            if (QFileInfo(dir).isDir())
                openWorkspace(dir);
            else
                showError(tr("Open workspace"), tr("%1: no such folder").arg(dir));
        });
        open->setEnabled(QFileInfo(dir).isDir());
    }
    if (recent.isEmpty())
        m_recent->addAction(tr("(none)"))->setEnabled(false);
    m_recent->addSeparator();
    m_recent->addAction(tr("Clear Menu"), this, [] { QSettings().remove("workspace/recent"); })
        ->setEnabled(!recent.isEmpty());
}

void MainWindow::startDemo(const QString &workspaceIn)
{
    const QString workspace = QDir(workspaceIn).absolutePath();
    QDir().mkpath(workspace + "/runs");
    openWorkspace(workspace + "/runs");
    TrainingRuns *runs = m_engine->runs();
    QMetaObject::invokeMethod(runs, [runs, workspace] { runs->startDemo(workspace); });
}

void MainWindow::chooseWorkspace()
{
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open workspace"), QSettings().value("workspace/last").toString());
    if (!dir.isEmpty())
        openWorkspace(dir);
}

void MainWindow::newExperiment(const RunConfig *clone)
{
    ExperimentDialog dialog(m_workspace, m_hub, this);
    if (clone)
        dialog.cloneFrom(*clone);
    if (dialog.exec() == QDialog::Accepted)
        startExperiment(dialog.plannedRuns());
}

void MainWindow::startExperiment(const QVector<ExperimentDialog::PlannedRun> &planned)
{
    TrainingRuns *runs = m_engine->runs();
    QVector<QPair<QString, QString>> chatWith;
    for (const ExperimentDialog::PlannedRun &run : planned) {
        const QString dir = run.dir, json = QString::fromStdString(run.config.toJsonText());
        QMetaObject::invokeMethod(runs, [runs, dir, json] { runs->createRun(dir, json); });
        chatWith.append({ QString::fromStdString(run.config.name), dir });
    }
    m_chat->chatWithRuns(chatWith);
    m_panes->setCurrentWidget(m_monitor);
    statusBar()->showMessage(
        tr("Creating and starting %n run(s)", nullptr, int(planned.size())), 5000);
}

void MainWindow::newRun()
{
    NewRunDialog dialog(m_workspace, m_hub, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString dir = dialog.runFolder(), json = dialog.runJson();
    TrainingRuns *runs = m_engine->runs();
    QMetaObject::invokeMethod(runs, [runs, dir, json] { runs->createRun(dir, json); });
    m_panes->setCurrentWidget(m_monitor);
}

void MainWindow::downloadModel()
{
    if (!m_download) {
        m_download = new DownloadDialog(m_hub, DownloadDialog::Purpose::Fetch, {}, this);
        m_download->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_download, &DownloadDialog::downloaded, this,
            [this](const QString &repo, const QString &) {
                statusBar()->showMessage(
                    tr("%1 is in the Hugging Face cache: use it as a model or a pretrained "
                       "model by its repo id")
                        .arg(repo),
                    8000);
            });
    }
    m_download->show();
    m_download->raise();
    m_download->activateWindow();
}

void MainWindow::pickHubModel(ChatColumn *column)
{
    const QPointer<ChatColumn> guard(column);
    DownloadDialog dialog(m_hub, DownloadDialog::Purpose::Pick, {}, this);
    const bool picked = dialog.exec() == QDialog::Accepted;
    if (!guard || !m_chat->columns().contains(column))
        return; // removed while the dialog was open
    if (picked)
        column->useFolder(dialog.repoId());
    else
        column->cancelPick();
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
    ReportService *report = m_engine->report();
    QMetaObject::invokeMethod(report, [report, runs, dir] { report->prepare(runs, dir); });
}

// On the GUI thread: QCustomPlot draws here (a few milliseconds); the files are small.
void MainWindow::writeAssembledReport(const QString &dir, const AssembledReportPtr &report)
{
    try {
        const report::ReportFiles files = report::writeReportFiles(*report, dir.toStdString());
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
