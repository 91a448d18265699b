#include "report_export.h"

#include "chatbench/atomic_file.h"
#include "chatbench/corpus_reader.h"
#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "chatbench/text_metrics.h"
#include "chatbench/tokenizer.h"

#include <cstdio>
#include <set>
#include <string_view>
#include <system_error>

namespace fs = std::filesystem;

namespace chatbench::ui {

namespace {

std::string byteSize(std::uint64_t bytes)
{
    char buf[32];
    if (bytes < 1024)
        std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
    else if (bytes < 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f KiB", double(bytes) / 1024);
    else
        std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / (1024 * 1024));
    return buf;
}

std::string describe(const RunConfig &c)
{
    const std::string kind = c.kind == ModelKind::Gpt2 ? "GPT-2" : "GPT-2 + Transformer";
    if (c.init == "scratch")
        return kind + " from scratch (" + c.preset + ")";
    return kind + " fine-tuned from " + fs::path(c.init).filename().string();
}

// What the comparison samples with: GPT2-chitchat's chat decoding, short replies, a fixed seed
// so a report written twice from the same checkpoints shows the same numbers.
ChatModel comparisonModel(const std::string &name, const fs::path &checkpoint)
{
    ChatModel m;
    m.name = name;
    m.path = checkpoint.string();
    m.model = std::make_shared<const LanguageModel>(LanguageModel::load(checkpoint));
    m.tokenizer = loadTokenizer(checkpoint);
    m.sampling.topK = 8;
    m.sampling.maxNewTokens = 40;
    m.sampling.seed = 1;
    m.sampling.setSpecialTokenDefaults(m.tokenizer->specialIds());
    return m;
}

} // namespace

std::string corpusSize(const fs::path &corpus, const std::string &format)
{
    try {
        CorpusReadOptions options;
        options.format = parseCorpusFormat(format);
        const CorpusReadSummary s = readCorpus(corpus, options, [](Dialogue &&) {});
        return std::to_string(s.dialogues) + " dialogues, " + byteSize(s.bytes);
    } catch (const std::exception &e) {
        return std::string("not readable (") + e.what() + ")";
    }
}

AssembledReport assembleReport(const ReportRequest &request)
{
    AssembledReport out;
    ProgressReport &report = out.report;
    report.title = request.title;
    report.datasets = request.extraDatasets;
    std::set<std::string> corpora;
    std::vector<std::optional<CheckpointInfo>> latest;
    for (const fs::path &dir : request.runs) {
        const RunDirectory run = RunDirectory::open(dir);
        const RunConfig config = run.config();
        MetricsReader reader(run.metricsFile());
        PlotRun plot { QString::fromStdString(config.name), reader.poll() };
        report.runs.push_back({ config.name, describe(config), epochTable(plot.events) });
        out.plotRuns.push_back(std::move(plot));
        out.runDirs.push_back(dir);
        latest.push_back(run.latestCheckpoint());
        if (!config.corpus.empty() && corpora.insert(config.corpus).second)
            report.datasets.emplace_back(fs::path(config.corpus).filename().string() + " ("
                    + config.corpus + ", format " + config.format + ")",
                corpusSize(config.corpus, config.format));
    }
    if (!request.subtitle.empty()) {
        report.subtitle = request.subtitle;
    } else {
        report.subtitle = "Runs:";
        for (std::size_t i = 0; i < report.runs.size(); ++i)
            report.subtitle
                += (i ? ", " : " ") + report.runs[i].name + " (" + report.runs[i].description + ")";
    }
    if (request.transcript)
        report.transcript = *request.transcript;

    if (request.prompts.empty()) {
        report.comparisonNote = "No prompt set was given, so no model was compared "
                                "(chatbench-cli report --prompts FILE).";
        return out;
    }
    std::vector<std::string> references;
    for (const auto &p : request.prompts)
        references.push_back(p.reference);
    std::string skipped;
    for (std::size_t r = 0; r < report.runs.size(); ++r) {
        const ReportRun &run = report.runs[r];
        if (!latest[r]) {
            skipped += (skipped.empty() ? "" : ", ") + run.name;
            continue;
        }
        const ChatModel model = comparisonModel(run.name, latest[r]->dir);
        ReportComparison c { run.name,
            evaluateReplies(generateReplies(model, request.prompts), references) };
        if (!run.epochs.empty())
            c.validPpl = run.epochs.back().validPpl;
        report.comparison.push_back(std::move(c));
    }
    report.comparisonNote = "Replies of each run's latest checkpoint to the "
        + std::to_string(request.prompts.size()) + " dialogues of "
        + (request.promptsOrigin.empty() ? std::string("the prompt set") : request.promptsOrigin)
        + " (top-k 8, seed 1 + i); BLEU and distinct-n over characters.";
    if (!skipped.empty())
        report.comparisonNote += " Not compared (no checkpoint yet): " + skipped + ".";
    return out;
}

ReportFiles writeReportFiles(const AssembledReport &assembled, const fs::path &dir)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error::inFile(dir, "cannot create the report folder: " + ec.message());
    if (!fs::is_directory(dir))
        throw Error::inFile(dir, "not a folder");
    ProgressReport report = assembled.report;
    report.lossPlot = "loss.png";
    report.accuracyPlot = "accuracy.png";
    ReportFiles files;
    files.lossPlot = dir / report.lossPlot;
    files.accuracyPlot = dir / report.accuracyPlot;
    for (const auto &[metric, file] : { std::pair { PlotMetric::Loss, files.lossPlot },
             std::pair { PlotMetric::Accuracy, files.accuracyPlot } }) {
        const QByteArray png = plotPng(assembled.plotRuns, metric);
        if (png.isEmpty())
            throw Error::inFile(file, "the plot could not be encoded as PNG");
        writeFileAtomically(file, std::string_view(png.constData(), std::size_t(png.size())));
    }
    files.markdown = writeReport(report, dir);
    files.html = dir / "report.html";
    return files;
}

} // namespace chatbench::ui
