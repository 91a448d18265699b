#pragma once
// The application window: the Training Monitor, Chat and Model Comparison panes as tabs, the
// workspace's run list in a dock, menus, toolbar, shortcuts and a status bar with the engine's
// state. It owns the engine thread (engine_thread.h) and wires its services to the panes with
// queued connections, so the window never waits on the engine (except to stop it on close).

#include "chatbench/hub.h"
#include "engine_types.h"
#include "experiment_dialog.h"

#include <QMainWindow>
#include <QPointer>

class QDockWidget;
class QLabel;
class QMenu;
class QTabWidget;
class QToolBar;

namespace chatbench::ui {

class ChatColumn;
class ChatPane;
class DownloadDialog;
class EngineThread;
class ModelComparison;
class RunList;
class TrainingMonitor;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a folder of runs (or the runs/ in it, the demo's layout) in the engine thread; the
    // run list, the monitor and File -> Open Recent follow once it has been read.
    void openWorkspace(const QString &dir);
    // At start-up: opens the last workspace, unless File -> Reopen Last Workspace is off or the
    // folder is gone. Returns whether it did.
    bool reopenLastWorkspace();
    // Most recent first, at most kRecentWorkspaces.
    static QStringList recentWorkspaces();
    static constexpr int kRecentWorkspaces = 8;
    // Opens workspace/runs and starts the built-in demo there (chatbench --demo).
    void startDemo(const QString &workspace);
    QString workspace() const { return m_workspace; }
    // File -> Export Report without the folder dialog: the listed runs and the current chat go
    // to the engine thread to be read, the plots and the deck are written into dir when they
    // come back. Success: reportExported and a status bar message; failure: an error box.
    void exportReportTo(const QString &dir);
    // Creates and starts the runs of an experiment, and gives the Chat pane one column per run.
    void startExperiment(const QVector<ExperimentDialog::PlannedRun> &runs);

    TrainingMonitor *trainingMonitor() const { return m_monitor; }
    ChatPane *chatPane() const { return m_chat; }
    ModelComparison *modelComparison() const { return m_comparison; }
    RunList *runList() const { return m_runList; }
    QTabWidget *panes() const { return m_panes; }
    EngineThread *engine() const { return m_engine; }

Q_SIGNALS:
    void reportExported(const QString &markdown);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void connectEngine();
    // Sets every text the window itself shows; the panes re-set their own on the same event.
    void retranslate();
    // The menus, the toolbar's actions and the run list's context menu, built anew by each
    // retranslate(): an action added here follows a language change with no more code. Keep
    // no pointer to these actions outside this function (QPointer if one must be kept).
    void createMenus();
    void showActivity(const QString &what);
    void createDock();
    void showAbout();
    void showError(const QString &what, const QString &message);
    void chooseWorkspace();
    void onWorkspaceOpened(const QString &dir, const QStringList &kept, int runs);
    void fillRecentMenu();
    void newRun();
    // File → New Experiment… (clone: Clone Run's run, whose settings fill the dialog).
    void newExperiment(const chatbench::RunConfig *clone = nullptr);
    void exportPlots();
    void exportCsv();
    void exportReport();
    // File → Download Model…: one dialog, not modal (a download may take a while).
    void downloadModel();
    // A chat column's "Hugging Face model…": the repo id from a download dialog.
    void pickHubModel(ChatColumn *column);
    void writeAssembledReport(const QString &dir, const chatbench::ui::AssembledReportPtr &report);
    QString selectedRun() const;

    chatbench::HubSettings m_hub; // from the environment, as huggingface_hub reads it
    EngineThread *m_engine = nullptr;
    QPointer<DownloadDialog> m_download;
    QTabWidget *m_panes = nullptr;
    QMenu *m_recent = nullptr;
    QToolBar *m_tools = nullptr;
    QDockWidget *m_runsDock = nullptr;
    QString m_noRunsMessage; // shown while the opened workspace has no runs
    TrainingMonitor *m_monitor = nullptr;
    ChatPane *m_chat = nullptr;
    ModelComparison *m_comparison = nullptr;
    RunList *m_runList = nullptr;
    QLabel *m_engineStatus = nullptr;
    QLabel *m_activity = nullptr;
    QString m_activityWhat; // the engine's latest activity; empty: idle
    QString m_workspace;
};

} // namespace chatbench::ui
