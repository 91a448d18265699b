// demo: the reference experiment, end to end, headless: base model (cached), three runs trained
// side by side, the per-epoch table, demo transcripts, the comparison and the progress report.

#include "chatbench/demo_experiment.h"
#include "chatbench/error.h"
#include "chatbench/model_source.h"
#include "chatbench/prompt_set.h"
#include "chatbench/report_assembly.h"
#include "chatbench/run_directory.h"
#include "chatbench/token_cache.h"
#include "chatbench/tokenizer.h"
#include "chatbench/training_scheduler.h"
#include "commands.h"
#include "plot_application.h"
#include "report_files.h"

#include <chrono>
#include <cmath>
#include <cstdio>
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
    if (e.event == EventKind::Train && e.step % 50 != 0)
        return;
    std::cerr << "[" << e.run << "] " << toString(e.event) << " step " << e.step;
    if (std::isfinite(e.loss))
        std::cerr << " loss " << cell(e.loss);
    if (std::isfinite(e.acc))
        std::cerr << " acc " << cell(e.acc);
    if (std::isfinite(e.ppl))
        std::cerr << " ppl " << cell(e.ppl, 2);
    if (!e.message.empty() && e.event != EventKind::Checkpoint)
        std::cerr << " " << e.message;
    std::cerr << "\n";
}

int demo(const Arguments &args)
{
    args.allowOnly({ "out", "threads", "scale", "dialogues", "cache" });
    PlotApplication app;

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

    ReportRequest request;
    request.subtitle = "Built-in demo: GPT-2 from scratch vs fine-tuned from a pretrained base vs "
                       "GPT-2 + Transformer, on the same dialogues";
    request.extraDatasets = { { "fortunes-zh (s2twp), base pretraining",
        std::to_string(plan.fortunes.entries) + " entries, " + std::to_string(plan.fortunes.lines)
            + " lines, " + std::to_string(plan.fortunes.bytes / 1024) + " KiB" } };
    request.runs = plan.runDirs;
    std::vector<ChatModel> chatModels;
    for (Trainer *t : scheduler.runs()) {
        if (t->state() != RunState::Finished)
            continue;
        chatModels.push_back(reportChatModel(t->config().name, openModel(t->directory().path())));
    }

    const fs::path ws = fs::absolute(options.workspace);
    fs::create_directories(ws / "transcripts");
    if (!chatModels.empty()) {
        ChatSession session(chatModels);
        for (const char *line : { "你好，今天過得怎麼樣？", "晚餐想吃什麼？", "明天會下雨嗎？",
                 "最近工作好累喔", "週末要不要去爬山？" })
            session.send(line);
        request.transcript = Transcript::of(session);
        saveTranscript(*request.transcript, ws / "transcripts" / "demo.json");
        request.prompts = heldOutPrompts(
            fs::path(plan.runs[0].cacheDir) / "valid.tokens", *chatModels[0].tokenizer);
        request.promptsOrigin = "the held-out validation set";
    }
    const AssembledReport assembled = assembleReport(request);
    const report::ReportFiles files = report::writeReportFiles(assembled, ws / "report");

    std::cerr << "\n| run | epoch | train loss | train acc | valid loss | valid ppl |\n"
                 "|---|---|---|---|---|---|\n";
    for (const auto &run : assembled.report.runs)
        for (const auto &e : run.epochs)
            std::cerr << "| " << run.name << " | " << e.epoch << " | " << cell(e.trainLoss) << " | "
                      << cell(e.trainAcc) << " | " << cell(e.validLoss) << " | "
                      << cell(e.validPpl, 2) << " |\n";

    nlohmann::json runsJson = nlohmann::json::array();
    const auto &rs = assembled.report.runs;
    for (std::size_t i = 0; i < rs.size(); ++i) {
        const Trainer *t = scheduler.runs()[i];
        runsJson.push_back({ { "run", rs[i].name }, { "state", toString(t->state()) },
            { "average_loss", number(rs[i].averageLoss()) },
            { "last_epoch_acc", number(rs[i].lastAccuracy()) },
            { "valid_loss", number(rs[i].epochs.empty() ? NAN : rs[i].epochs.back().validLoss) } });
        if (const TrainingEvent *failed = t->lastEvent(EventKind::Failed))
            runsJson.back()["error"] = failed->message;
    }

    // The claim the demo exists to show, checked with the numbers.
    nlohmann::json claim;
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
        { "base_from_cache", plan.baseFromCache }, { "runs", runsJson },
        { "report", files.markdown.string() },
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
