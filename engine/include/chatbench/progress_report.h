#pragma once
// The progress report the reference experiment was presented in: a Markdown slide deck in
// reveal.js style (slides separated by "----", as the reference deck), with the plots as PNG
// files beside it, and a single-file HTML rendering with the plots embedded. The plots are drawn
// by the caller (ui/report_plots.h, QCustomPlot); this file only lays the deck out. Torch-free.

#include "chatbench/probe_log.h"
#include "chatbench/text_metrics.h"
#include "chatbench/training_event.h"
#include "chatbench/transcript.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace chatbench {

// One row of the per-epoch table: the epoch's summary ("epoch" event: mean training loss,
// micro-averaged accuracy) joined with the "valid" event the trainer logs at the same step.
struct EpochRow
{
    int epoch = 0;
    std::int64_t step = 0;
    double trainLoss = TrainingEvent::none, trainAcc = TrainingEvent::none;
    double validLoss = TrainingEvent::none, validPpl = TrainingEvent::none;
    double validAcc = TrainingEvent::none;
};
// A run's events in file order -> one row per epoch (a later row for the same epoch replaces
// an earlier one).
std::vector<EpochRow> epochTable(const std::vector<TrainingEvent> &events);

struct ReportRun
{
    std::string name;
    std::string description; // "GPT-2 from scratch", ...
    std::vector<EpochRow> epochs;
    // Its probe replies (probe_log.h) at the first, middle and last evaluation, by step then
    // prompt; empty when it has none.
    std::vector<ProbeReply> probes;
    // The reference report's figures: the mean of the epochs' average training losses, and the
    // last epoch's accuracy.
    double averageLoss() const;
    double lastAccuracy() const;
};

struct ReportComparison
{
    std::string model;
    TextMetrics metrics;
    double validPpl = TrainingEvent::none;
};

struct ProgressReport
{
    std::string title = "ChatBench progress report";
    std::string subtitle;
    std::vector<std::pair<std::string, std::string>> datasets; // name, size / description
    std::vector<ReportRun> runs;
    std::string lossPlot, accuracyPlot; // file names beside the deck (PNG), may be empty
    Transcript transcript; // one demo block per model
    std::vector<ReportComparison> comparison;
    std::string comparisonNote; // how the comparison was made (prompt count, sampling)
};

std::string reportMarkdown(const ProgressReport &report);
// Self-contained: the plots (read from dir) are embedded as data: URIs.
std::string reportHtml(const ProgressReport &report, const std::filesystem::path &dir);
// report.md and report.html into dir, atomically; returns the Markdown's path.
std::filesystem::path writeReport(const ProgressReport &report, const std::filesystem::path &dir);

} // namespace chatbench
