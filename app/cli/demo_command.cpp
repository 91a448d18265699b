// demo: the reference experiment, end to end, headless: base model (cached), three runs trained
// side by side, the per-epoch table, demo transcripts, the comparison and the progress report.

#include "chatbench/demo_experiment.h"
#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/progress_report.h"
#include "chatbench/prompt_set.h"
#include "chatbench/run_directory.h"
#include "chatbench/token_cache.h"
#include "chatbench/tokenizer.h"
#include "chatbench/training_scheduler.h"
#include "commands.h"
#include "report_plots.h"

#include <QApplication>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace fs = std::filesystem;

namespace chatbench::cli {
namespace {

// The held-out dialogues, decoded from the validation cache: prompts no model trained on.
std::vector<PromptDialogue> heldOutPrompts(const fs::path &cache, const Tokenizer &tokenizer)
{
    std::vector<PromptDialogue> out;
    TokenCache valid = TokenCache::open(cache);
    const auto sep = tokenizer.specialIds().sep;
    for (std::size_t i = 0; i < valid.size(); ++i) {
        std::vector<std::string> utterances;
        std::vector<std::int32_t> current;
        for (auto id : valid[i]) {
            if (id == sep) {
                utterances.push_back(tokenizer.decode(current));
                current.clear();
            } else {
                current.push_back(id);
            }
        }
        if (utterances.size() < 2)
            continue;
        PromptDialogue p;
        p.reference = utterances.back();
        utterances.pop_back();
        p.context = utterances;
        out.push_back(std::move(p));
    }
    return out;
}

std::string cell(double v, int digits = 4)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return std::isfinite(v) ? buf : "-";
}

void printProgressLine(const TrainingEvent &e)
{
    if (e.event == "train" && e.step % 50 != 0)
        return;
    std::cerr << "[" << e.run << "] " << e.event << " step " << e.step;
    if (std::isfinite(e.loss))
        std::cerr << " loss " << cell(e.loss);
    if (std::isfinite(e.acc))
        std::cerr << " acc " << cell(e.acc);
    if (std::isfinite(e.ppl))
        std::cerr << " ppl " << cell(e.ppl, 2);
    if (!e.message.empty() && e.event != "checkpoint")
        std::cerr << " " << e.message;
    std::cerr << "\n";
}

int demo(const Arguments &args)
{
    args.allowOnly({ "out", "threads", "scale", "dialogues", "cache" });
    // Plots need a QApplication; without a display the offscreen platform draws them.
    if (!std::getenv("QT_QPA_PLATFORM") && !std::getenv("DISPLAY")
        && !std::getenv("WAYLAND_DISPLAY"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    int argc = 1;
    char name[] = "chatbench-cli";
    char *argv[] = { name, nullptr };
    QApplication app(argc, argv);

    DemoOptions options;
    options.workspace = args.optional("out").value_or("chatbench-demo");
    options.threads = args.integer("threads", 0);
    options.scale = args.real("scale", 1.0);
    options.dialogues = args.optional("dialogues").value_or("");
    options.cacheDir = args.optional("cache").value_or("");
    if (options.scale <= 0 || options.scale > 10)
        throw UsageError("option --scale: expected 0 < scale <= 10");
    const auto started = std::chrono::steady_clock::now();
    std::cerr << "demo: preparing corpora, tokenizer and the base model...\n";
    DemoPlan plan = prepareDemo(options, printProgressLine);
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    std::cerr << "demo: base model " << (plan.baseFromCache ? "reused from " : "trained in ")
              << plan.baseCheckpoint.string() << " (" << cell(elapsed(), 1) << " s)\n";

    TrainingScheduler scheduler;
    for (std::size_t i = 0; i < plan.runs.size(); ++i) {
        auto trainer = fs::exists(plan.runDirs[i] / "run.json")
            ? Trainer::resume(plan.runDirs[i])
            : Trainer::create(plan.runs[i], plan.runDirs[i]);
        trainer->setCallback(printProgressLine);
        scheduler.add(std::move(trainer));
    }
    scheduler.runAll();
    const double trainedAt = elapsed();

    ProgressReport report;
    report.subtitle = "Built-in demo: GPT-2 from scratch vs fine-tuned from a pretrained base vs "
                      "GPT-2 + Transformer, on the same dialogues";
    report.datasets = {
        { "fortunes-zh (s2twp), base pretraining",
            std::to_string(plan.fortunes.entries) + " entries, "
                + std::to_string(plan.fortunes.lines) + " lines, "
                + std::to_string(plan.fortunes.bytes / 1024) + " KiB" },
        { "demo dialogues (zh-TW)",
            std::to_string(plan.dialogues) + " dialogues, "
                + std::to_string(plan.dialogueUtterances) + " utterances" },
    };
    std::vector<ui::PlotRun> plotRuns;
    std::vector<ChatModel> chatModels;
    nlohmann::json runsJson = nlohmann::json::array();
    for (Trainer *t : scheduler.runs()) {
        MetricsReader reader(t->directory().metricsFile());
        ui::PlotRun p { QString::fromStdString(t->config().name), reader.poll() };
        ReportRun run { t->config().name, modelKindName(t->config().kind), epochTable(p.events) };
        runsJson.push_back({ { "run", run.name }, { "state", trainerStateName(t->state()) },
            { "average_loss", number(run.averageLoss()) },
            { "last_epoch_acc", number(run.lastAccuracy()) },
            { "valid_loss", number(run.epochs.empty() ? NAN : run.epochs.back().validLoss) } });
        if (const TrainingEvent *failed = t->lastEvent("failed"))
            runsJson.back()["error"] = failed->message;
        report.runs.push_back(run);
        plotRuns.push_back(std::move(p));
        if (t->state() != TrainerState::Finished)
            continue;
        const auto best = t->directory().latestCheckpoint();
        ChatModel m;
        m.name = t->config().name;
        m.path = best->dir.string();
        m.model = std::make_shared<const LanguageModel>(LanguageModel::load(best->dir));
        m.tokenizer = loadTokenizer(best->dir);
        m.sampling.topK = 8;
        m.sampling.maxNewTokens = 40;
        m.sampling.seed = 1;
        m.sampling.setSpecialTokenDefaults(m.tokenizer->specialIds());
        chatModels.push_back(std::move(m));
    }

    std::cerr << "\n| run | epoch | train loss | train acc | valid loss | valid ppl |\n"
                 "|---|---|---|---|---|---|\n";
    for (const auto &run : report.runs)
        for (const auto &e : run.epochs)
            std::cerr << "| " << run.name << " | " << e.epoch << " | " << cell(e.trainLoss) << " | "
                      << cell(e.trainAcc) << " | " << cell(e.validLoss) << " | "
                      << cell(e.validPpl, 2) << " |\n";

    const fs::path ws = fs::absolute(options.workspace);
    fs::create_directories(ws / "transcripts");
    fs::create_directories(ws / "report");
    if (!chatModels.empty()) {
        ChatSession session(chatModels);
        for (const char *line : { "你好，今天過得怎麼樣？", "晚餐想吃什麼？", "明天會下雨嗎？",
                 "最近工作好累喔", "週末要不要去爬山？" })
            session.send(line);
        report.transcript = Transcript::of(session);
        saveTranscript(report.transcript, ws / "transcripts" / "demo.json");

        const auto prompts = heldOutPrompts(
            fs::path(plan.runs[0].cacheDir) / "valid.tokens", *chatModels[0].tokenizer);
        std::vector<std::string> references;
        for (const auto &p : prompts)
            references.push_back(p.reference);
        for (std::size_t m = 0; m < chatModels.size(); ++m) {
            ReportComparison c { chatModels[m].name,
                evaluateReplies(generateReplies(chatModels[m], prompts), references) };
            for (const auto &run : report.runs)
                if (run.name == c.model && !run.epochs.empty())
                    c.validPpl = run.epochs.back().validPpl;
            report.comparison.push_back(c);
        }
        report.comparisonNote = "Replies to the " + std::to_string(prompts.size())
            + " held-out dialogues (top-k 8, seed 1 + i); BLEU and distinct-n over characters.";
    }
    report.lossPlot = "loss.png";
    report.accuracyPlot = "accuracy.png";
    const QString reportDir = QString::fromStdString((ws / "report").string());
    ui::savePlotPng(plotRuns, ui::PlotMetric::Loss, reportDir + "/loss.png");
    ui::savePlotPng(plotRuns, ui::PlotMetric::Accuracy, reportDir + "/accuracy.png");
    const fs::path md = writeReport(report, ws / "report");

    // The claim the demo exists to show, checked with the numbers.
    nlohmann::json claim;
    const auto &rs = report.runs;
    if (rs.size() >= 2 && !rs[0].epochs.empty() && rs[0].epochs.size() == rs[1].epochs.size()) {
        int below = 0;
        for (std::size_t e = 0; e < rs[0].epochs.size(); ++e)
            below += rs[1].epochs[e].validLoss < rs[0].epochs[e].validLoss;
        claim = { { "fine_tuned_below_scratch_epochs", below }, { "epochs", rs[0].epochs.size() },
            { "scratch_final_valid_loss", number(rs[0].epochs.back().validLoss) },
            { "fine_tuned_final_valid_loss", number(rs[1].epochs.back().validLoss) } };
    }
    const double seconds = elapsed();
    printJson({ { "workspace", ws.string() }, { "base", plan.baseCheckpoint.string() },
        { "base_from_cache", plan.baseFromCache }, { "runs", runsJson }, { "report", md.string() },
        { "transcript", (ws / "transcripts" / "demo.json").string() },
        { "fine_tuned_vs_scratch", claim }, { "seconds", seconds },
        { "seconds_until_trained", trainedAt } });
    return 0;
}

} // namespace

void addDemoCommands(std::vector<Command> &out)
{
    out.push_back({ "demo", "[--out DIR] [--threads K]",
        "Run the built-in demo of the reference experiment headless: pretrain a small GPT-2 base\n"
        "on fortunes-zh (converted to Traditional Chinese; cached and reused), then train GPT-2\n"
        "from scratch, fine-tuned from the base, and GPT-2 + Transformer on the demo dialogues,\n"
        "side by side. Prints the per-epoch table (stderr) and a JSON summary; writes the runs,\n"
        "transcripts and report (report/report.md, report.html, loss.png, accuracy.png) under\n"
        "DIR (default ./chatbench-demo). Running it again reuses what is done.",
        {}, demo });
}

} // namespace chatbench::cli
