#pragma once
// The probe panel: how the runs answer their probe prompts (probes.jsonl, probe_log.h) as they
// train. A row per prompt, a column per run; each cell is the run's reply at the selected step
// (its latest evaluation at or before it), marked when it changed since the run's evaluation
// before. The step comes from the slider or from a click on a curve (showStep); a click on a cell
// lists that run's replies to that prompt at every evaluation. Runs another machine trains show
// the same way: the replies come from their folders.

#include "engine_types.h"
#include "when_shown.h"

#include <QColor>
#include <QWidget>
#include <map>
#include <vector>

class QLabel;
class QSlider;
class QTableWidget;
class QTextBrowser;

namespace chatbench::ui {

class ProbePanel : public QWidget
{
    Q_OBJECT

public:
    explicit ProbePanel(QWidget *parent = nullptr);

    void addRun(const RunSummary &run, const QColor &color);
    void removeRun(const QString &dir);
    // Replaces the run's replies (its whole probes.jsonl).
    void setReplies(const QString &dir, const ProbeReplies &replies);
    // Selects the latest evaluation at or before step (the first when there is none before).
    void showStep(qint64 step);
    qint64 selectedStep() const;
    // The prompts in row order, and a cell's reply ("" when the run has none there).
    QStringList prompts() const;
    QString replyAt(int row, const QString &dir) const;
    // The history shown for a cell: every evaluation's reply of that run to that prompt.
    void showHistory(int row, const QString &dir);
    QString historyText() const;

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct Run
    {
        QString name;
        QColor color;
        std::vector<chatbench::ProbeReply> replies; // by step, then index
    };
    // The prompt of a row: the probe's whole context, so two runs asking the same thing share it.
    using Context = std::vector<std::string>;

    void retranslate();
    void rebuild(); // prompts, steps, slider range
    void fillCells(); // the step label, the table (now or when shown), the history
    void drawTable(); // rows, columns and the replies at the selected step
    const chatbench::ProbeReply *replyOf(const Run &run, const Context &context, qint64 step,
        const chatbench::ProbeReply **previous = nullptr) const;
    std::vector<QString> runOrder() const;

    std::map<QString, Run> m_runs; // by folder
    std::vector<Context> m_prompts;
    std::vector<qint64> m_steps; // every run's evaluation steps, ascending
    qint64 m_step = -1;
    WhenShown m_whenShown; // a hidden panel draws its table when shown
    bool m_followLatest = true; // the slider at its end stays there as evaluations arrive

    QLabel *m_note = nullptr;
    QLabel *m_stepLabel = nullptr;
    QSlider *m_slider = nullptr;
    QTableWidget *m_table = nullptr;
    QTextBrowser *m_history = nullptr;
    int m_historyRow = -1;
    QString m_historyRun;
};

} // namespace chatbench::ui
