#include "chatbench/report_assembly.h"

#include "chatbench/corpus_reader.h"
#include "chatbench/model_source.h"
#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "chatbench/text_metrics.h"
#include "chatbench/tokenizer.h"

#include <cstdio>
#include <set>

namespace fs = std::filesystem;

namespace chatbench {

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

// The probe replies at the first, middle and last evaluation.
std::vector<ProbeReply> reportProbes(const RunDirectory &run)
{
    const ProbeLog log = readProbeLog(run.probesFile());
    const std::vector<std::int64_t> steps = log.steps();
    std::vector<ProbeReply> out;
    if (steps.empty())
        return out;
    std::set<std::int64_t> picked { steps.front(), steps[steps.size() / 2], steps.back() };
    for (std::int64_t step : picked)
        for (ProbeReply &r : log.at(step))
            out.push_back(std::move(r));
    return out;
}

} // namespace

ChatModel reportChatModel(const std::string &name, const OpenedModel &opened)
{
    ChatModel m;
    m.name = name;
    m.path = opened.folder.string();
    m.step = opened.step.value_or(-1);
    m.model = opened.model;
    m.tokenizer = opened.tokenizer;
    m.sampling.topK = 8;
    m.sampling.maxNewTokens = 40;
    m.sampling.seed = 1;
    m.sampling.setSpecialTokenDefaults(m.tokenizer->specialIds());
    return m;
}

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

AssembledReport assembleReport(const ReportRequest &request, const std::atomic<bool> *cancel)
{
    AssembledReport out;
    ProgressReport &report = out.report;
    report.title = request.title;
    report.datasets = request.extraDatasets;
    std::set<std::string> corpora;
    std::vector<bool> hasCheckpoint;
    for (const fs::path &dir : request.runs) {
        const RunDirectory run = RunDirectory::open(dir);
        const RunConfig config = run.config();
        MetricsReader reader(run.metricsFile());
        RunCurve curve { config.name, reader.poll() };
        report.runs.push_back(
            { config.name, describe(config), epochTable(curve.events), reportProbes(run) });
        out.curves.push_back(std::move(curve));
        out.runDirs.push_back(dir);
        hasCheckpoint.push_back(run.latestCheckpoint().has_value());
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
    std::string skipped, cancelled;
    for (std::size_t r = 0; r < report.runs.size(); ++r) {
        const ReportRun &run = report.runs[r];
        if (!hasCheckpoint[r]) {
            skipped += (skipped.empty() ? "" : ", ") + run.name;
            continue;
        }
        const ChatModel model = reportChatModel(run.name, openModel(out.runDirs[r]));
        const auto replies = generateReplies(model, request.prompts, {}, cancel);
        if (replies.size() < request.prompts.size()) {
            cancelled += (cancelled.empty() ? "" : ", ") + run.name;
            continue;
        }
        ReportComparison c { run.name, evaluateReplies(replies, references) };
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
    if (!cancelled.empty())
        report.comparisonNote += " Not compared (cancelled): " + cancelled + ".";
    return out;
}

} // namespace chatbench
