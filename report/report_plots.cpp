#include "report_plots.h"

#include "ema_smoothing.h"

#include <QBuffer>
#include <QPixmap>
#include <cmath>
#include <qcustomplot.h>

namespace chatbench::report {

namespace {

const QColor kPalette[] = { QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
    QColor(214, 39, 40), QColor(148, 103, 189), QColor(140, 86, 75) };

} // namespace

QByteArray plotPng(const std::vector<RunCurve> &runs, PlotMetric metric, int width, int height)
{
    QCustomPlot plot;
    plot.resize(width, height);
    plot.legend->setVisible(true);
    plot.xAxis->setLabel("step");
    plot.yAxis->setLabel(metric == PlotMetric::Loss ? "loss" : "token accuracy");
    plot.plotLayout()->insertRow(0);
    plot.plotLayout()->addElement(0, 0,
        new QCPTextElement(&plot, metric == PlotMetric::Loss ? "Training loss" : "Token accuracy",
            QFont("sans", 12, QFont::Bold)));
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const QColor color = kPalette[r % std::size(kPalette)];
        QVector<double> x, raw, vx, vy;
        for (const auto &e : runs[r].events) {
            const double value = metric == PlotMetric::Loss ? e.loss : e.acc;
            if (e.event == EventKind::Train) {
                x.push_back(double(e.step));
                raw.push_back(value);
            } else if (e.event == EventKind::Valid && std::isfinite(value)) {
                vx.push_back(double(e.step));
                vy.push_back(value);
            }
        }
        if (x.isEmpty())
            continue; // a run that never trained (failed at set-up) gets no legend entry
        const auto smooth = debiasedEma({ raw.begin(), raw.end() }, 0.9);
        QCPGraph *faint = plot.addGraph();
        QColor light = color;
        light.setAlpha(60);
        faint->setPen(QPen(light));
        faint->setData(x, raw, true);
        faint->removeFromLegend();
        QCPGraph *line = plot.addGraph();
        line->setPen(QPen(color, 2));
        line->setName(QString::fromStdString(runs[r].name) + " (train)");
        line->setData(x, QVector<double>(smooth.begin(), smooth.end()), true);
        if (!vx.isEmpty()) {
            QCPGraph *valid = plot.addGraph();
            valid->setPen(QPen(color, 1, Qt::DashLine));
            valid->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
            valid->setName(QString::fromStdString(runs[r].name) + " (valid)");
            valid->setData(vx, vy, true);
        }
    }
    plot.rescaleAxes();
    if (metric == PlotMetric::Accuracy)
        plot.yAxis->setRange(0, std::min(1.0, plot.yAxis->range().upper * 1.1));
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!plot.toPixmap(width, height).save(&buffer, "PNG"))
        return {};
    return png;
}

} // namespace chatbench::report
