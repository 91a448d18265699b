#pragma once
// The progress report from run folders: the one assembly step behind `chatbench-cli report`,
// `chatbench-cli demo` and the GUI's File -> Export Report. It runs in two halves because they
// belong on different threads: assembleReport() reads the runs' metrics, sizes the corpora and,
// with a prompt set, loads each run's latest checkpoint and generates the comparison's replies
// (slow: the engine thread, or a CLI's only thread); writeReportFiles() draws the plots with
// QCustomPlot and writes the deck (quick, but QCustomPlot needs the GUI thread). Torch-free.

#include "chatbench/progress_report.h"
#include "chatbench/prompt_set.h"
#include "chatbench/transcript.h"
#include "report_plots.h"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chatbench::ui {

struct ReportRequest
{
    std::vector<std::filesystem::path> runs; // run folders (with run.json), in report order
    std::string title = "ChatBench progress report";
    std::string subtitle; // empty: one naming the runs
    // Listed before the runs' own corpora, e.g. a base model's pretraining corpus.
    std::vector<std::pair<std::string, std::string>> extraDatasets;
    std::optional<Transcript> transcript; // the demo slides, one per model
    // With prompts, every run with a checkpoint answers them (its latest checkpoint, top-k 8,
    // at most 40 new tokens, seed 1 + prompt index) and the replies are scored against the
    // references: the comparison table.
    std::vector<PromptDialogue> prompts;
    std::string promptsOrigin; // how the comparison note names the prompts
};

struct AssembledReport
{
    ProgressReport report;
    std::vector<PlotRun> plotRuns; // each run's events, for the figures
    std::vector<std::filesystem::path> runDirs; // as given, parallel to report.runs
};

// Throws chatbench::Error for a run folder that is missing, has no run.json or a malformed one
// (RunDirectory's messages), a transcript or checkpoint that does not load.
AssembledReport assembleReport(const ReportRequest &request);

struct ReportFiles
{
    std::filesystem::path markdown, html, lossPlot, accuracyPlot;
};

// Creates dir if needed and writes loss.png, accuracy.png (atomically), report.md and
// report.html. Needs a QApplication and must run on its thread. Throws chatbench::Error naming
// the path and the reason when anything cannot be written.
ReportFiles writeReportFiles(const AssembledReport &assembled, const std::filesystem::path &dir);

// "12,345 dialogues, 1.2 MiB" for a corpus, or why it could not be read; the format is
// run.json's data.format ("auto" detects it).
std::string corpusSize(const std::filesystem::path &corpus, const std::string &format);

} // namespace chatbench::ui
