// report: the progress report (Markdown deck, PNG plots, single-file HTML) from run folders.

#include "chatbench/error.h"
#include "chatbench/prompt_set.h"
#include "chatbench/report_assembly.h"
#include "chatbench/runtime.h"
#include "chatbench/transcript.h"
#include "commands.h"
#include "plot_application.h"
#include "report_files.h"

namespace chatbench::cli {
namespace {

int report(const Arguments &args)
{
    args.allowOnly({ "run", "transcript", "prompts", "title", "out", "threads" });
    ReportRequest request;
    for (const std::string &dir : args.all("run"))
        request.runs.emplace_back(dir);
    if (request.runs.empty())
        throw UsageError("missing required option --run");
    const std::string out = args.required("out");
    if (const auto title = args.optional("title"))
        request.title = *title;
    configureThreads(args.integer("threads", 0));
    PlotApplication app; // before any work: a missing display must not cost a finished assembly
    if (const auto file = args.optional("transcript"))
        request.transcript = loadTranscript(*file);
    if (const auto file = args.optional("prompts")) {
        request.prompts = readPromptSet(*file, PromptFormat::Dialogues).dialogues;
        request.promptsOrigin = *file;
    }
    const AssembledReport assembled = assembleReport(request);
    const report::ReportFiles files = report::writeReportFiles(assembled, out);

    nlohmann::json runs = nlohmann::json::array();
    for (std::size_t i = 0; i < assembled.report.runs.size(); ++i) {
        const ReportRun &run = assembled.report.runs[i];
        runs.push_back({ { "run", run.name }, { "dir", assembled.runDirs[i].string() },
            { "epochs", run.epochs.size() }, { "average_loss", number(run.averageLoss()) },
            { "last_epoch_acc", number(run.lastAccuracy()) } });
    }
    nlohmann::json comparison = nlohmann::json::array();
    for (const ReportComparison &c : assembled.report.comparison)
        comparison.push_back({ { "model", c.model }, { "distinct_1", number(c.metrics.distinct1) },
            { "distinct_2", number(c.metrics.distinct2) }, { "bleu_2", number(c.metrics.bleu2) },
            { "bleu_4", number(c.metrics.bleu4) }, { "mean_length", number(c.metrics.meanLength) },
            { "valid_ppl", number(c.validPpl) } });
    printJson({ { "report", files.markdown.string() }, { "html", files.html.string() },
        { "loss_plot", files.lossPlot.string() }, { "accuracy_plot", files.accuracyPlot.string() },
        { "runs", runs }, { "comparison", comparison } });
    return 0;
}

} // namespace

void addReportCommands(std::vector<Command> &out)
{
    out.push_back({ "report",
        "--run DIR [--run DIR ...] [--transcript FILE] [--prompts FILE] [--title T] --out DIR\n"
        "         [--threads K]",
        "Write the progress report of the runs into OUT: report.md (a reveal.js-style Markdown\n"
        "deck: title, outline, datasets with their sizes, the training loss figure with each\n"
        "run's average loss, the accuracy figure with each run's last-epoch accuracy, the\n"
        "per-epoch table, the demo transcript, the comparison), loss.png, accuracy.png and a\n"
        "single-file report.html. --transcript: a saved chat (chat --save, the GUI's Save) for\n"
        "the demo slides. --prompts: a prompt set as eval --prompts takes; each run's latest\n"
        "checkpoint answers it (top-k 8, seed 1 + i) for the comparison table. Prints the\n"
        "written paths and each run's figures.",
        {}, report });
}

} // namespace chatbench::cli
