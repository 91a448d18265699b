#pragma once
// The report's figures (training loss, token accuracy) drawn with QCustomPlot into PNG files,
// the same look as the Training Monitor. Needs a QApplication (the offscreen platform will do:
// `chatbench-cli demo` runs it headless). Torch-free.

#include "chatbench/report_assembly.h"

#include <QByteArray>
#include <vector>

namespace chatbench::report {

enum class PlotMetric { Loss, Accuracy };

// Per run: the "train" events smoothed (TensorBoard's debiased EMA, weight 0.9) over a faint raw
// curve, and the "valid" events as points; x = step. Returns the PNG's bytes (empty if the
// image could not be encoded), so the caller can write them atomically.
QByteArray plotPng(
    const std::vector<RunCurve> &runs, PlotMetric metric, int width = 960, int height = 540);

} // namespace chatbench::report
