#pragma once
// The Training Monitor pane: every run's loss and accuracy curves overlaid (metrics_plot.h)
// with one legend for both plots, the plot controls (x axis, smoothing, log scale, reset), the
// selected run's progress with tokens/s and ETA, its start/pause/resume/stop buttons and its
// per-epoch table, and the plot/CSV exports. Events arrive in batches from the engine thread and
// are drawn at most 10 times a second, however fast they come.

#include "engine_types.h"
#include "metrics_plot.h"

#include <QWidget>
#include <map>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSplitter;
class QTabWidget;
class QTimer;

namespace chatbench::ui {

class EpochTable;
class ProbePanel;

class TrainingMonitor : public QWidget
{
    Q_OBJECT

public:
    explicit TrainingMonitor(QWidget *parent = nullptr);

    void addRun(const RunSummary &run);
    void removeRun(const QString &dir);
    // A batch of a run's metrics; restarted: the file was rewound, replace the run's curves.
    void ingest(const QString &dir, const EventBatch &events, bool restarted);
    // Draws what ingest() collected (the 10 Hz timer calls it; tests call it directly).
    void flush();
    void setRunState(const QString &dir, chatbench::RunState state);
    void selectRun(const QString &dir);
    // Shows or hides every series of the run in both plots (the run list's checkbox).
    void setRunShown(const QString &dir, bool shown);
    bool isRunShown(const QString &dir) const;
    QString selectedRun() const;
    QStringList runs() const;
    QColor runColor(const QString &dir) const;
    chatbench::RunState runState(const QString &dir) const;
    // Why the run failed (its latest "failed" event's message), or empty.
    QString failure(const QString &dir) const;
    QPushButton *showErrorButton() const { return m_showError; }

    // One legend for both plots: each run in its colour (struck out when hidden) and what the
    // line styles mean.
    QLabel *legend() const { return m_legend; }
    MetricsPlot *lossPlot() const { return m_loss; }
    MetricsPlot *accuracyPlot() const { return m_acc; }
    EpochTable *epochTable() const { return m_epochs; }
    // Every run's probe replies; fed by TrainingRuns::probes.
    ProbePanel *probePanel() const { return m_probes; }
    void showProbeReplies(); // brings the probe replies' tab to the front
    const std::vector<TrainingEvent> &events(const QString &dir) const;

    // base + "-loss" / "-accuracy" + the suffix of file (.png or .pdf).
    bool exportPlots(const QString &file, QString *written = nullptr);
    bool exportCsv(const QString &file) const;

Q_SIGNALS:
    void startRequested(const QString &dir);
    void pauseRequested(const QString &dir);
    void resumeRequested(const QString &dir);
    void stopRequested(const QString &dir);
    // The latest train event of a run changed (for the run list).
    void runProgress(const QString &dir, qint64 step, double loss, double acc, double progress);
    void runSpeed(const QString &dir, double tokensPerSecond, double etaSeconds);
    void runEnded(const QString &dir, chatbench::RunState state); // seen in its metrics
    // A run's failure reason changed (empty: it no longer stands failed). justNow: the failure
    // happened while this window watched, not in the history read when the run was opened.
    void runFailed(const QString &dir, const QString &message, bool justNow);
    void selectedRunChanged(const QString &dir);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Run
    {
        RunSummary summary;
        QColor color;
        std::vector<TrainingEvent> events;
        std::vector<TrainingEvent> pending; // ingested, not drawn yet
        bool restart = false;
        bool loaded = false; // the first batch (the file as it was when opened) is drawn
        QString failure; // the latest "failed" event's message, until a later resume
        bool shown = true;
        const TrainingEvent *lastTrain() const;
    };
    // The run's own colour: from its name (the next free one when another run has it), so
    // adding or removing runs never recolours the others.
    QColor colorFor(const QString &name) const;
    QWidget *createControls();
    QWidget *createRunPanel();
    void retranslate();
    void updateRunPanel();
    void updateLegend();

    std::map<QString, Run> m_runs;
    QStringList m_order;
    MetricsPlot *m_loss = nullptr;
    MetricsPlot *m_acc = nullptr;
    EpochTable *m_epochs = nullptr;
    ProbePanel *m_probes = nullptr;
    QTabWidget *m_details = nullptr; // the epochs and the probe replies
    QSplitter *m_vertical = nullptr; // the curves above, the run's details below
    QComboBox *m_xAxis = nullptr;
    QSlider *m_smoothing = nullptr;
    QLabel *m_smoothingValue = nullptr;
    QCheckBox *m_logScale = nullptr;
    QComboBox *m_runChoice = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_speed = nullptr;
    QLabel *m_legend = nullptr;
    QPushButton *m_start = nullptr, *m_pause = nullptr, *m_resume = nullptr, *m_stop = nullptr;
    QPushButton *m_showError = nullptr;
    QPushButton *m_resetView = nullptr;
    QLabel *m_xAxisTitle = nullptr, *m_smoothingTitle = nullptr, *m_runTitle = nullptr;
    QTimer *m_flushTimer = nullptr;
};

} // namespace chatbench::ui
