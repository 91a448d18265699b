#pragma once
// One live metric (loss or accuracy) for every run of the workspace, on QCustomPlot: a train
// and a validation series per run in the run's colour, the train curve smoothed with
// TensorBoard's debiased EMA over its raw values drawn faint behind it, an x axis of step,
// epoch, tokens or wall time, a log-scale toggle, drag/zoom, and a read-out at the point under
// the cursor of every visible run's value at that x. Points are appended in batches (already
// sorted) and replotted with rpQueuedReplot, so a 200K-point series stays smooth; changing the
// axis or the smoothing rebuilds the graphs from the kept raw values.
//
// The header does not include qcustomplot.h (it needs Qt's `signals` keyword, which
// QT_NO_KEYWORDS test targets lack).

#include "ema_smoothing.h"
#include "when_shown.h"

#include <QColor>
#include <QWidget>
#include <map>
#include <vector>

class QCustomPlot;
class QTimer;
class QCPGraph;
class QCPLayoutGrid;
class QCPItemTracer;
class QCPItemText;
class QMouseEvent;

namespace chatbench::ui {

enum class XAxisKind { Step = 0, Epoch, Tokens, Time };

struct PlotPoint
{
    double step = 0, epoch = 0, tokens = 0, time = 0;
    double value = 0;
};

class MetricsPlot : public QWidget
{
    Q_OBJECT

public:
    MetricsPlot(const QString &valueLabel, QWidget *parent = nullptr);
    ~MetricsPlot() override;

    // Appends points (ascending x) to run's train or validation series, creating it.
    void addPoints(const QString &run, const QString &label, const QColor &color, bool valid,
        const std::vector<PlotPoint> &points);
    void clearRun(const QString &run);
    void removeRun(const QString &run);
    void setRunLabel(const QString &run, const QString &label);
    // The y axis's title and the read-out's name for the values (the owner's language).
    void setValueLabel(const QString &label);

    void setXAxis(XAxisKind kind);
    void setSmoothing(double weight); // 0..0.999
    void setLogScale(bool on);
    void resetView(); // fit everything visible and follow new data again
    // The legend under the axes (shown by default). The Training Monitor hides it and draws one
    // legend for both plots; an exported image, which stands alone, shows it.
    void setLegendShown(bool shown);
    bool isLegendShown() const;
    // Schedules one replot, after the delay, however many calls precede it.
    void replotSoon();
    // Two plots fed together replot apart: an event waits for one replot at most (each costs
    // 5-15 ms on a slow machine), not for both back to back.
    void setReplotDelay(int ms);
    void replotNow(); // synchronous (tests, exports)

    bool isRunVisible(const QString &run, bool valid) const;
    void setRunVisible(const QString &run, bool valid, bool visible);
    int pointCount(const QString &run, bool valid) const;
    QCustomPlot *customPlot() const { return m_plot; }
    // The axes' titles, for code built without Qt's keywords (qcustomplot.h needs them).
    QString axisLabel(Qt::Orientation orientation) const;
    // Where point `index` of a series is drawn, in widget pixels (for hover tests).
    QPointF pointPosition(const QString &run, bool valid, int index) const;
    // The read-out for the data point nearest to the widget position, with every visible run's
    // value at its x (empty when no point is near).
    QString readoutAt(const QPoint &pos);
    void clearReadout(); // e.g. before an export: the hover marker is not part of the figure

Q_SIGNALS:
    // A click on a data point (within 20 pixels), with the point's step.
    void pointClicked(qint64 step);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    struct Series
    {
        QString label;
        QColor color;
        bool valid = false;
        std::vector<PlotPoint> points;
        QCPGraph *raw = nullptr; // faint, unsmoothed (train only)
        QCPGraph *shown = nullptr; // smoothed train, or the validation points
        report::EmaSmoother ema; // the train curve's smoothing state, so appending is O(new points)
    };
    using Key = std::pair<QString, bool>;

    Series &series(const QString &run, const QString &label, const QColor &color, bool valid);
    void append(Series &s, const std::vector<PlotPoint> &points, bool rebuild);
    double xOf(const PlotPoint &p) const;
    void rebuildAll();
    void updateLegendItem(Series &s);
    void onMouseMove(QMouseEvent *event);
    // The visible series with a point within 20 pixels of pos (the nearest), and its index.
    const Series *nearestPoint(const QPoint &pos, int *index) const;
    void fitIfFollowing();

    QCustomPlot *m_plot = nullptr;
    QCPItemTracer *m_tracer = nullptr;
    QCPItemText *m_readout = nullptr;
    QCPLayoutGrid *m_legendRow = nullptr; // row 1 of the plot layout while the legend is shown
    std::map<Key, Series> m_series;
    XAxisKind m_xKind = XAxisKind::Step;
    double m_smoothing = 0.6;
    bool m_following = true; // fit new data until the user drags or zooms
    WhenShown m_whenShown; // a hidden plot replots when shown
    QTimer *m_replot = nullptr;
    QString m_valueLabel;
    QPoint m_pressAt; // where the mouse went down: a release there is a click
};

} // namespace chatbench::ui
