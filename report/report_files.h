#pragma once
// The progress report on disk: the figures drawn (report_plots.h) and the deck written
// (chatbench/progress_report.h) from an assembled report (chatbench/report_assembly.h). Quick,
// but QCustomPlot draws only on the thread of the QApplication (the GUI thread, or the CLI's
// offscreen application).

#include "chatbench/report_assembly.h"

#include <filesystem>

namespace chatbench::report {

struct ReportFiles
{
    std::filesystem::path markdown, html, lossPlot, accuracyPlot;
};

// Creates dir if needed and writes loss.png, accuracy.png, report.md and report.html, each
// atomically. Throws chatbench::Error naming the path and the reason when anything cannot be
// written.
ReportFiles writeReportFiles(const AssembledReport &assembled, const std::filesystem::path &dir);

} // namespace chatbench::report
