#include "metrics_plot.h"

#include <QEvent>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace chatbench::ui {

namespace {

// Translated where they are shown (MetricsPlot::tr), on each language change.
const char *const kAxisTitles[] = { QT_TRANSLATE_NOOP("chatbench::ui::MetricsPlot", "step"),
    QT_TRANSLATE_NOOP("chatbench::ui::MetricsPlot", "epoch"),
    QT_TRANSLATE_NOOP("chatbench::ui::MetricsPlot", "tokens"),
    QT_TRANSLATE_NOOP("chatbench::ui::MetricsPlot", "time (s)") };

QString formatValue(double v)
{
    return std::fabs(v) >= 1e4 || (v != 0 && std::fabs(v) < 1e-3) ? QString::number(v, 'g', 5)
                                                                  : QString::number(v, 'f', 4);
}

} // namespace

MetricsPlot::MetricsPlot(const QString &valueLabel, QWidget *parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_valueLabel(valueLabel)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(240, 180);
    m_replot = new QTimer(this);
    m_replot->setSingleShot(true);
    m_replot->setInterval(0);
    connect(m_replot, &QTimer::timeout, this, [this] { m_plot->replot(); });

    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    // Lines as one polyline each, not segment by segment: a replot of two runs' 2-px curves
    // cost 10-20 ms of the GUI thread on a 2-core machine; the joins look the same at 2 px.
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->xAxis->setLabel(tr(kAxisTitles[0]));
    m_plot->yAxis->setLabel(valueLabel);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(font().family(), 8));
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));
    m_plot->legend->setSelectableParts(QCPLegend::spNone);
    // The legend sits below the axes, one run per row (train, valid): inside the axes it always
    // covered some run's curve once several runs were overlaid.
    m_legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, m_legendRow);
    m_legendRow->setMargins(QMargins(5, 0, 5, 5));
    m_legendRow->addElement(0, 0, m_plot->legend);
    // An empty legend's maximum width would narrow the whole column, axes included: a spacer
    // beside it keeps the row (and so the axes) as wide as the plot.
    m_legendRow->addElement(0, 1, new QCPLayoutElement(m_plot));
    m_legendRow->setColumnStretchFactor(1, 0.01);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setWrap(2);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);

    // The hover marker lives on its own buffered layer: moving it redraws only that layer.
    m_plot->addLayer("hover", nullptr, QCustomPlot::limAbove);
    m_plot->layer("hover")->setMode(QCPLayer::lmBuffered);
    m_tracer = new QCPItemTracer(m_plot);
    m_tracer->setLayer("hover");
    m_tracer->setStyle(QCPItemTracer::tsCircle);
    m_tracer->setSize(8);
    m_tracer->setInterpolating(false);
    m_tracer->setVisible(false);
    m_readout = new QCPItemText(m_plot);
    m_readout->setLayer("hover");
    m_readout->position->setParentAnchor(m_tracer->position);
    m_readout->position->setCoords(8, -8); // pixels right of and above the point
    m_readout->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    m_readout->setBrush(QColor(255, 255, 225, 230));
    m_readout->setPen(QPen(Qt::gray));
    m_readout->setPadding(QMargins(4, 2, 4, 2));
    m_readout->setTextAlignment(Qt::AlignLeft);
    m_readout->setClipToAxisRect(false);
    m_readout->setVisible(false);

    connect(m_plot, &QCustomPlot::mouseMove, this, &MetricsPlot::onMouseMove);
    // Once the user looks somewhere, new points stop moving the view (Reset view follows again).
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_following = false; });
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent *event) {
        m_following = false;
        m_pressAt = event->pos();
    });
    // A click (not a drag) on a point chooses its step, e.g. for the probe panel.
    connect(m_plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent *event) {
        if ((event->pos() - m_pressAt).manhattanLength() > 3)
            return;
        int index = -1;
        if (const Series *s = nearestPoint(event->pos(), &index))
            Q_EMIT pointClicked(qint64(s->points[std::size_t(index)].step));
    });
}

MetricsPlot::~MetricsPlot()
{
    // Out of the layout, the legend row (and the legend in it) is ours to delete.
    if (!m_plot->plotLayout()->hasElement(1, 0))
        delete m_legendRow;
}

void MetricsPlot::setLegendShown(bool shown)
{
    QCPLayoutGrid *layout = m_plot->plotLayout();
    if (shown == layout->hasElement(1, 0))
        return;
    // Taken out of the layout rather than hidden: a hidden element would still take its room.
    if (shown) {
        layout->addElement(1, 0, m_legendRow);
        layout->setRowStretchFactor(1, 0.001);
    } else {
        layout->take(m_legendRow);
        layout->simplify();
    }
    m_plot->legend->setVisible(shown);
    replotSoon();
}

bool MetricsPlot::isLegendShown() const
{
    return m_plot->legend->visible() && m_plot->plotLayout()->hasElement(1, 0);
}

MetricsPlot::Series &MetricsPlot::series(
    const QString &run, const QString &label, const QColor &color, bool valid)
{
    auto it = m_series.find({ run, valid });
    if (it != m_series.end())
        return it->second;
    Series &s = m_series[{ run, valid }];
    s.ema = report::EmaSmoother(valid ? 0.0 : m_smoothing);
    s.label = label;
    s.color = color;
    s.valid = valid;
    if (!valid) {
        s.raw = m_plot->addGraph();
        QColor faint = color;
        faint.setAlpha(60);
        s.raw->setPen(QPen(faint, 1));
        s.raw->removeFromLegend();
    }
    s.shown = m_plot->addGraph();
    if (valid) {
        s.shown->setPen(QPen(color, 1.5, Qt::DashLine));
        s.shown->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, 5));
    } else {
        s.shown->setPen(QPen(color, 2));
    }
    updateLegendItem(s);
    return s;
}

void MetricsPlot::updateLegendItem(Series &s)
{
    s.shown->setName(s.label + (s.valid ? tr(" (valid)") : tr(" (train)")));
    if (auto *item = m_plot->legend->itemWithPlottable(s.shown))
        item->setTextColor(s.shown->visible() ? Qt::black : Qt::gray);
}

double MetricsPlot::xOf(const PlotPoint &p) const
{
    switch (m_xKind) {
    case XAxisKind::Epoch:
        return p.epoch;
    case XAxisKind::Tokens:
        return p.tokens;
    case XAxisKind::Time:
        return p.time;
    case XAxisKind::Step:
        break;
    }
    return p.step;
}

void MetricsPlot::append(Series &s, const std::vector<PlotPoint> &points, bool rebuild)
{
    if (rebuild)
        s.ema = report::EmaSmoother(s.valid ? 0.0 : m_smoothing);
    QVector<QCPGraphData> shown, raw;
    shown.reserve(int(points.size()));
    if (s.raw)
        raw.reserve(int(points.size()));
    for (const PlotPoint &p : points) {
        const double x = xOf(p);
        if (s.raw)
            raw.append(QCPGraphData(x, p.value));
        shown.append(QCPGraphData(x, s.ema.add(p.value)));
    }
    if (rebuild) {
        s.shown->data()->set(shown, true);
        if (s.raw)
            s.raw->data()->set(raw, true);
    } else {
        s.shown->data()->add(shown, true);
        if (s.raw)
            s.raw->data()->add(raw, true);
    }
}

void MetricsPlot::addPoints(const QString &run, const QString &label, const QColor &color,
    bool valid, const std::vector<PlotPoint> &points)
{
    if (points.empty())
        return;
    Series &s = series(run, label, color, valid);
    s.points.insert(s.points.end(), points.begin(), points.end());
    append(s, points, false);
    fitIfFollowing();
    replotSoon();
}

void MetricsPlot::clearRun(const QString &run)
{
    for (bool valid : { false, true }) {
        auto it = m_series.find({ run, valid });
        if (it == m_series.end())
            continue;
        it->second.points.clear();
        append(it->second, {}, true);
    }
    replotSoon();
}

void MetricsPlot::removeRun(const QString &run)
{
    for (bool valid : { false, true }) {
        auto it = m_series.find({ run, valid });
        if (it == m_series.end())
            continue;
        if (m_tracer->graph() == it->second.shown) {
            m_tracer->setGraph(nullptr);
            m_tracer->setVisible(false);
            m_readout->setVisible(false);
        }
        if (it->second.raw)
            m_plot->removeGraph(it->second.raw);
        m_plot->removeGraph(it->second.shown);
        m_series.erase(it);
    }
    replotSoon();
}

void MetricsPlot::setRunLabel(const QString &run, const QString &label)
{
    for (bool valid : { false, true }) {
        auto it = m_series.find({ run, valid });
        if (it != m_series.end()) {
            it->second.label = label;
            updateLegendItem(it->second);
        }
    }
    replotSoon();
}

void MetricsPlot::setValueLabel(const QString &label)
{
    m_valueLabel = label;
    m_plot->yAxis->setLabel(label);
    replotSoon();
}

void MetricsPlot::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_plot->xAxis->setLabel(tr(kAxisTitles[int(m_xKind)]));
        for (auto &[key, s] : m_series)
            updateLegendItem(s); // "(train)", "(valid)"
        replotSoon();
    }
    QWidget::changeEvent(event);
}

void MetricsPlot::rebuildAll()
{
    for (auto &[key, s] : m_series)
        append(s, s.points, true);
    fitIfFollowing();
    replotSoon();
}

void MetricsPlot::setXAxis(XAxisKind kind)
{
    if (kind == m_xKind)
        return;
    m_xKind = kind;
    m_plot->xAxis->setLabel(tr(kAxisTitles[int(kind)]));
    m_following = true; // the old range means nothing on the new axis
    rebuildAll();
}

void MetricsPlot::setSmoothing(double weight)
{
    m_smoothing = std::clamp(weight, 0.0, 0.999);
    rebuildAll();
}

void MetricsPlot::setLogScale(bool on)
{
    m_plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on)
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    else
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_following = true;
    fitIfFollowing();
    replotSoon();
}

void MetricsPlot::fitIfFollowing()
{
    if (!m_following)
        return;
    m_plot->rescaleAxes(true);
    // A little air around the data, so the last point or an extreme is not cut by the frame.
    const QCPRange y = m_plot->yAxis->range();
    if (m_plot->yAxis->scaleType() == QCPAxis::stLogarithmic)
        m_plot->yAxis->setRange(y.lower / 1.05, y.upper * 1.05);
    else
        m_plot->yAxis->setRange(y.lower - y.size() * 0.04, y.upper + y.size() * 0.04);
    const QCPRange x = m_plot->xAxis->range();
    m_plot->xAxis->setRange(x.lower, x.upper + x.size() * 0.02);
}

void MetricsPlot::resetView()
{
    m_following = true;
    fitIfFollowing();
    replotSoon();
}

void MetricsPlot::replotSoon()
{
    if (!m_whenShown.now(this))
        return;
    if (!m_replot->isActive())
        m_replot->start();
}

void MetricsPlot::setReplotDelay(int ms)
{
    m_replot->setInterval(ms);
}

void MetricsPlot::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_whenShown.owed())
        replotSoon();
}

void MetricsPlot::replotNow()
{
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
}

bool MetricsPlot::isRunVisible(const QString &run, bool valid) const
{
    auto it = m_series.find({ run, valid });
    return it != m_series.end() && it->second.shown->visible();
}

void MetricsPlot::setRunVisible(const QString &run, bool valid, bool visible)
{
    auto it = m_series.find({ run, valid });
    if (it == m_series.end())
        return;
    it->second.shown->setVisible(visible);
    if (it->second.raw)
        it->second.raw->setVisible(visible);
    updateLegendItem(it->second);
    replotSoon();
}

int MetricsPlot::pointCount(const QString &run, bool valid) const
{
    auto it = m_series.find({ run, valid });
    return it == m_series.end() ? 0 : it->second.shown->dataCount();
}

QString MetricsPlot::axisLabel(Qt::Orientation orientation) const
{
    return (orientation == Qt::Horizontal ? m_plot->xAxis : m_plot->yAxis)->label();
}

QPointF MetricsPlot::pointPosition(const QString &run, bool valid, int index) const
{
    const auto it = m_series.find({ run, valid });
    if (it == m_series.end() || index < 0 || index >= it->second.shown->dataCount())
        return {};
    const auto point = it->second.shown->data()->constBegin() + index;
    return { m_plot->xAxis->coordToPixel(point->key), m_plot->yAxis->coordToPixel(point->value) };
}

const MetricsPlot::Series *MetricsPlot::nearestPoint(const QPoint &pos, int *index) const
{
    const Series *best = nullptr;
    double bestDistance = 20; // pixels: farther than this, nothing is "under" the cursor
    for (const auto &[key, s] : m_series) {
        if (!s.shown->visible() || s.shown->dataCount() == 0)
            continue;
        const double x = m_plot->xAxis->pixelToCoord(pos.x());
        // The points either side of the cursor's x (expanded: one before it too).
        auto it = s.shown->data()->findBegin(x, true);
        for (int k = 0; k < 3 && it != s.shown->data()->constEnd(); ++k, ++it) {
            const double dx = m_plot->xAxis->coordToPixel(it->key) - pos.x();
            const double dy = m_plot->yAxis->coordToPixel(it->value) - pos.y();
            const double d = std::hypot(dx, dy);
            if (d < bestDistance) {
                bestDistance = d;
                best = &s;
                *index = int(it - s.shown->data()->constBegin());
            }
        }
    }
    return best;
}

QString MetricsPlot::readoutAt(const QPoint &pos)
{
    int bestIndex = -1;
    const Series *best = nearestPoint(pos, &bestIndex);
    if (!best) {
        clearReadout();
        return {};
    }
    const PlotPoint &p = best->points[std::size_t(bestIndex)];
    const double shown = (best->shown->data()->constBegin() + bestIndex)->value;
    // Every visible run's value at the hovered point's x: the nearest point of each series,
    // when it lies within the same 20 pixels (validation points are sparse).
    const double x = xOf(p);
    QStringList lines {
        tr("%1 at step %2, epoch %3").arg(m_valueLabel).arg(p.step).arg(p.epoch, 0, 'f', 2)
    };
    for (const auto &[key, s] : m_series) {
        if (!s.shown->visible() || s.shown->dataCount() == 0)
            continue;
        const auto begin = s.shown->data()->constBegin(), end = s.shown->data()->constEnd();
        auto it = s.shown->data()->findBegin(x, false);
        if (it == end || (it != begin && x - (it - 1)->key < it->key - x))
            it = it == begin ? it : it - 1;
        if (std::fabs(m_plot->xAxis->coordToPixel(it->key) - m_plot->xAxis->coordToPixel(x)) > 20)
            continue;
        const PlotPoint &q = s.points[std::size_t(it - begin)];
        QString line = tr("%1 %2: %3")
                           .arg(s.label, s.valid ? tr("valid") : tr("train"), formatValue(q.value));
        if (!s.valid && m_smoothing > 0)
            line += tr(" (smoothed %1)").arg(formatValue(it->value));
        lines << (&s == best ? QStringLiteral("▸ ") : QStringLiteral("   ")) + line;
    }
    const QString text = lines.join('\n');
    m_tracer->setGraph(best->shown);
    m_tracer->setGraphKey(xOf(p));
    m_tracer->setPen(QPen(best->color));
    m_tracer->setVisible(true);
    // The label goes right of the point when it fits there (the widget clips it), else on the
    // side with more room; below the point in the upper half, above it in the lower.
    const QRect area = m_plot->axisRect()->rect();
    const QPointF at(m_plot->xAxis->coordToPixel(xOf(p)), m_plot->yAxis->coordToPixel(shown));
    const int width = QFontMetrics(m_readout->font()).boundingRect(QRect(), 0, text).width() + 16;
    const bool fitsRight = at.x() + 8 + width <= m_plot->width();
    const bool left = !fitsRight && at.x() > m_plot->width() - at.x();
    const bool below = at.y() < area.center().y();
    m_readout->position->setCoords(left ? -8 : 8, below ? 8 : -8);
    m_readout->setPositionAlignment(Qt::Alignment(left ? Qt::AlignRight : Qt::AlignLeft)
        | (below ? Qt::AlignTop : Qt::AlignBottom));
    m_readout->setText(text);
    m_readout->setVisible(true);
    return text;
}

void MetricsPlot::clearReadout()
{
    m_tracer->setVisible(false);
    m_readout->setVisible(false);
}

void MetricsPlot::onMouseMove(QMouseEvent *event)
{
    if (event->buttons() != Qt::NoButton)
        return; // dragging
    readoutAt(event->pos());
    m_plot->layer("hover")->replot();
}

} // namespace chatbench::ui
