// train: runs a training run headless, with the same Trainer the GUI's engine thread drives.

#include "chatbench/error.h"
#include "chatbench/run_config.h"
#include "chatbench/trainer.h"
#include "commands.h"

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>

namespace chatbench::cli {
namespace {

Trainer *g_running = nullptr;

extern "C" void onInterrupt(int)
{
    // Only an atomic store: the trainer stops at the next step boundary, with a checkpoint.
    if (g_running)
        g_running->stop();
}

// run.json's settings, then the command line's on top.
RunConfig configFrom(const Arguments &args)
{
    RunConfig c;
    if (auto file = args.optional("config"))
        c = RunConfig::fromJsonFile(*file);
    auto text = [&](const char *name, std::string &out) {
        if (auto v = args.optional(name))
            out = *v;
    };
    auto path = [&](const char *name, std::string &out) {
        if (auto v = args.optional(name))
            out = (*v == "scratch") ? *v
                                    : std::filesystem::absolute(*v).lexically_normal().string();
    };
    text("name", c.name);
    path("corpus", c.corpus);
    text("format", c.format);
    text("convert", c.convert);
    path("tokenizer", c.tokenizer);
    if (auto v = args.optional("model-kind"))
        c.kind = parseModelKind(*v);
    path("init", c.init);
    text("preset", c.preset);
    text("schedule", c.schedule);
    c.maxSteps = args.integer("max-steps", int(c.maxSteps));
    c.epochs = args.integer("epochs", c.epochs);
    c.batchSize = args.integer("batch-size", c.batchSize);
    c.gradAccum = args.integer("grad-accum", c.gradAccum);
    c.lr = args.real("lr", c.lr);
    c.warmupSteps = args.integer("warmup", int(c.warmupSteps));
    c.maxLen = args.integer("max-len", c.maxLen);
    c.seed = std::uint64_t(args.integer("seed", int(c.seed)));
    c.evalEvery = args.integer("eval-every", int(c.evalEvery));
    c.saveEvery = args.integer("save-every", int(c.saveEvery));
    c.threads = args.integer("threads", c.threads);
    if (auto v = args.optional("val")) {
        const double x = args.real("val", 0);
        if (v->find('.') != std::string::npos && x < 1) {
            c.validFraction = x;
            c.validCount = 0;
        } else {
            c.validCount = std::uint64_t(x);
        }
    }
    if (c.name == "run" && args.has("out"))
        c.name = std::filesystem::path(args.required("out")).lexically_normal().filename().string();
    c.validate("command line");
    return c;
}

std::string duration(double seconds)
{
    if (!std::isfinite(seconds))
        return "?";
    long s = long(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

// One line per event worth a human's attention; "train" lines at most once a second.
void printProgress(const TrainingEvent &e, std::int64_t totalSteps)
{
    using Clock = std::chrono::steady_clock;
    static Clock::time_point lastTrain;
    char line[256];
    if (e.event == "train") {
        const auto now = Clock::now();
        if (now - lastTrain < std::chrono::seconds(1) && e.step != totalSteps)
            return;
        lastTrain = now;
        std::snprintf(line, sizeof line,
            "step %lld/%lld  epoch %.2f  loss %.4f  acc %.4f  lr %.3g  %.0f tok/s  ETA %s",
            (long long)e.step, (long long)totalSteps, e.epoch, e.loss, e.acc, e.lr,
            e.tokensPerSecond, duration(e.etaSeconds).c_str());
    } else if (e.event == "epoch") {
        std::snprintf(line, sizeof line, "epoch %.0f done: train loss %.4f, accuracy %.4f", e.epoch,
            e.loss, e.acc);
    } else if (e.event == "valid") {
        std::snprintf(line, sizeof line, "validation at step %lld: loss %.4f, ppl %.2f, acc %.4f",
            (long long)e.step, e.loss, e.ppl, e.acc);
    } else {
        std::snprintf(line, sizeof line, "%s at step %lld%s%s", e.event.c_str(), (long long)e.step,
            e.message.empty() ? "" : ": ", e.message.c_str());
    }
    std::cerr << "[" << e.run << "] " << line << "\n";
}

int train(const Arguments &args)
{
    args.allowOnly({ "config", "out", "resume", "name", "corpus", "format", "convert", "tokenizer",
        "model-kind", "init", "preset", "max-steps", "epochs", "batch-size", "grad-accum", "lr",
        "warmup", "schedule", "max-len", "val", "seed", "eval-every", "save-every", "threads",
        "quiet" });
    std::unique_ptr<Trainer> trainer;
    if (auto dir = args.optional("resume")) {
        for (const char *o : { "config", "out", "corpus", "init", "preset", "tokenizer" })
            if (args.has(o))
                throw UsageError(std::string("--resume continues a run as its run.json says; --")
                    + o + " cannot change it");
        trainer = Trainer::resume(*dir);
    } else {
        trainer = Trainer::create(configFrom(args), args.required("out"));
    }
    const bool quiet = args.has("quiet");
    nlohmann::json epochs = nlohmann::json::array();
    nlohmann::json lastValid;
    Trainer &t = *trainer;
    t.setCallback([&](const TrainingEvent &e) {
        if (!quiet)
            printProgress(e, t.totalSteps());
        if (e.event == "epoch")
            epochs.push_back({ { "epoch", e.epoch }, { "step", e.step },
                { "train_loss", number(e.loss) }, { "train_acc", number(e.acc) } });
        if (e.event == "valid") {
            lastValid = { { "step", e.step }, { "loss", number(e.loss) }, { "ppl", number(e.ppl) },
                { "acc", number(e.acc) } };
            if (!epochs.empty() && epochs.back()["step"] == e.step)
                epochs.back()["valid"] = lastValid;
        }
    });
    g_running = &t;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    try {
        t.run();
    } catch (...) {
        g_running = nullptr;
        throw;
    }
    g_running = nullptr;
    const TrainingEvent *last = t.lastEvent("train");
    nlohmann::json out = { { "run", t.config().name }, { "dir", t.directory().path().string() },
        { "state", trainerStateName(t.state()) }, { "step", t.currentStep() },
        { "total_steps", t.totalSteps() }, { "epochs", epochs } };
    if (last) {
        out["tokens"] = last->tokens;
        out["time_s"] = last->time;
        out["tokens_per_s"] = number(last->tokensPerSecond);
        out["last_loss"] = number(last->loss);
    }
    if (!lastValid.is_null())
        out["valid"] = lastValid;
    if (const TrainingEvent *failed = t.lastEvent("failed"))
        out["error"] = failed->message;
    printJson(out);
    return t.state() == TrainerState::Failed ? 1 : 0;
}

} // namespace

void addTrainCommands(std::vector<Command> &out)
{
    out.push_back({ "train",
        "(--config run.json | --corpus FILE) --out RUNDIR [overrides] | --resume RUNDIR",
        "Train a run headless. Settings come from --config (run.json, see the README) with these\n"
        "flags on top: --corpus FILE --format F --convert C --tokenizer DIR --model-kind\n"
        "gpt2|gpt2+transformer --init scratch|DIR --preset tiny|small|base --max-steps N\n"
        "--epochs N --batch-size N --grad-accum N --lr X --warmup N --schedule linear|cosine|\n"
        "constant --max-len N --val N|FRACTION --seed N --eval-every N --save-every N --threads N\n"
        "--name NAME. RUNDIR gets run.json, metrics.jsonl and checkpoints/step-N. A progress line\n"
        "goes to stderr (--quiet: none); at the end one JSON summary goes to stdout. Ctrl-C stops\n"
        "at the next step with a checkpoint; --resume RUNDIR continues exactly where it stopped.",
        { "quiet" }, train });
}

} // namespace chatbench::cli
