// train: runs a training run headless, with the same Trainer the GUI's engine thread drives.

#include "chatbench/device.h"
#include "chatbench/error.h"
#include "chatbench/probe_log.h"
#include "chatbench/prompt_set.h"
#include "chatbench/run_config.h"
#include "chatbench/trainer.h"
#include "commands.h"

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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
    // --init and --tokenizer: a folder, or a repo id of the Hugging Face cache.
    auto model = [&](const char *name, std::string &out) {
        if (auto v = args.optional(name))
            out = (*v == "scratch") ? *v : normalizeModelLocation(*v, {});
    };
    text("name", c.name);
    path("corpus", c.corpus);
    text("format", c.format);
    text("convert", c.convert);
    c.layout = args.word("layout", c.layout, DialogueLayout::parseKind);
    if (args.has("layout") && !args.has("loss")) // the layout's own loss, as in run.json
        c.loss = c.layout == DialogueLayout::Kind::CDial ? LossScope::Response : LossScope::All;
    c.loss = args.word("loss", c.loss, parseLossScope);
    model("tokenizer", c.tokenizer);
    c.kind = args.word("model-kind", c.kind, parseModelKind);
    model("init", c.init);
    text("preset", c.preset);
    c.schedule = args.word("schedule", c.schedule, parseSchedule);
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
    text("device", c.device);
    c.precision = args.word("precision", c.precision, parsePrecision);
    // A prompt file (as eval --prompts reads it): its contexts, without the references, become
    // run.json's probes, so the run carries them wherever it goes.
    if (auto file = args.optional("probes")) {
        c.probes.clear();
        for (PromptDialogue &d : readPromptSet(*file).dialogues)
            c.probes.push_back(std::move(d.context));
    }
    c.probeCount = args.integer("probe-count", c.probeCount);
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

int environmentInteger(const char *name, int fallback)
{
    const char *v = std::getenv(name);
    if (!v || !*v)
        return fallback;
    char *end = nullptr;
    const long x = std::strtol(v, &end, 10);
    if (*end != '\0')
        throw UsageError(
            std::string("environment variable ") + name + "='" + v + "': expected an integer");
    return int(x);
}

// The data-parallel setting torchrun and Slurm launchers (and --nproc) pass in the environment,
// and the faults the reliability tests inject:
// CHATBENCH_FAULT_NAN_STEPS="3,4,5" makes the loss NaN in this process's 3rd, 4th and 5th step
// attempts; CHATBENCH_FAULT_EXIT_RANK="1:3" kills rank 1 at its 3rd step attempt.
TrainerOptions trainerOptionsFromEnvironment()
{
    TrainerOptions o;
    DistributedOptions &d = o.distributed;
    d.worldSize = environmentInteger("WORLD_SIZE", 1);
    d.rank = environmentInteger("RANK", d.worldSize > 1 ? -1 : 0);
    d.localRank = environmentInteger("LOCAL_RANK", 0);
    if (const char *addr = std::getenv("MASTER_ADDR"); addr && *addr)
        d.masterAddress = addr;
    d.masterPort = environmentInteger("MASTER_PORT", d.masterPort);
    d.timeoutSeconds = environmentInteger("CHATBENCH_DIST_TIMEOUT_S", d.timeoutSeconds);
    o.hub = hubSettingsFromEnvironment();
    if (d.worldSize > 1 && (d.rank < 0 || d.rank >= d.worldSize))
        throw UsageError("WORLD_SIZE=" + std::to_string(d.worldSize) + " needs RANK in 0.."
            + std::to_string(d.worldSize - 1));
    if (const char *nan = std::getenv("CHATBENCH_FAULT_NAN_STEPS"))
        for (const int attempt : parseIdList("CHATBENCH_FAULT_NAN_STEPS", nan))
            o.faults.nanAttempts.insert(attempt);
    if (const char *exit = std::getenv("CHATBENCH_FAULT_EXIT_RANK")) {
        long attempt = -1;
        if (std::sscanf(exit, "%d:%ld", &o.faults.exitRank, &attempt) != 2)
            throw UsageError(
                std::string("CHATBENCH_FAULT_EXIT_RANK='") + exit + "': expected RANK:ATTEMPT");
        o.faults.exitAttempt = attempt;
    }
    return o;
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
    if (e.event == EventKind::Train) {
        const auto now = Clock::now();
        if (now - lastTrain < std::chrono::seconds(1) && e.step != totalSteps)
            return;
        lastTrain = now;
        std::snprintf(line, sizeof line,
            "step %lld/%lld  epoch %.2f  loss %.4f  acc %.4f  lr %.3g  %.0f tok/s  ETA %s",
            (long long)e.step, (long long)totalSteps, e.epoch, e.loss, e.acc, e.lr,
            e.tokensPerSecond, duration(e.etaSeconds).c_str());
    } else if (e.event == EventKind::Epoch) {
        std::snprintf(line, sizeof line, "epoch %.0f done: train loss %.4f, accuracy %.4f", e.epoch,
            e.loss, e.acc);
    } else if (e.event == EventKind::Valid) {
        std::snprintf(line, sizeof line, "validation at step %lld: loss %.4f, ppl %.2f, acc %.4f",
            (long long)e.step, e.loss, e.ppl, e.acc);
    } else {
        std::snprintf(line, sizeof line, "%s at step %lld%s%s", toString(e.event),
            (long long)e.step, e.message.empty() ? "" : ": ", e.message.c_str());
    }
    std::cerr << "[" << e.run << "] " << line << "\n";
}

int freeLoopbackPort()
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        throw Error("train --nproc: cannot find a free loopback port");
    const int port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

// --nproc N: starts N copies of this command as data-parallel workers on this machine, with the
// variables a torchrun launch would set, and waits for them. A failed worker fails the launch;
// the others notice (their collectives fail) and exit with their own message.
int launchWorkers(int n)
{
    std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
    std::vector<std::string> argv;
    for (std::string a; std::getline(cmdline, a, '\0');)
        argv.push_back(a);
    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
        if (argv[i] == "--nproc") {
            argv.erase(argv.begin() + std::ptrdiff_t(i), argv.begin() + std::ptrdiff_t(i) + 2);
            break;
        }
    std::vector<char *> cargv;
    for (auto &a : argv)
        cargv.push_back(a.data());
    cargv.push_back(nullptr);
    const std::string port = std::to_string(freeLoopbackPort());
    std::vector<pid_t> workers;
    for (int r = 0; r < n; ++r) {
        pid_t pid = ::fork();
        if (pid < 0)
            throw Error("train --nproc: fork failed");
        if (pid == 0) {
            ::setenv("RANK", std::to_string(r).c_str(), 1);
            ::setenv("LOCAL_RANK", std::to_string(r).c_str(), 1);
            ::setenv("WORLD_SIZE", std::to_string(n).c_str(), 1);
            ::setenv("MASTER_ADDR", "127.0.0.1", 1);
            ::setenv("MASTER_PORT", port.c_str(), 1);
            ::execv("/proc/self/exe", cargv.data());
            ::_exit(127);
        }
        workers.push_back(pid);
    }
    int worst = 0;
    for (std::size_t done = 0; done < workers.size(); ++done) {
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, 0);
        const int rank = int(std::find(workers.begin(), workers.end(), pid) - workers.begin());
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (code != 0) {
            // One write: the other workers may be writing to the same stderr right now, and
            // a line shorter than PIPE_BUF is never split by theirs.
            const std::string line = "chatbench-cli train: worker " + std::to_string(rank)
                + " exited with " + (WIFEXITED(status) ? "code " : "signal ")
                + std::to_string(WIFEXITED(status) ? code : WTERMSIG(status)) + "\n";
            std::cerr.write(line.data(), std::streamsize(line.size())).flush();
            worst = std::max(worst, 1);
        }
    }
    return worst;
}

int train(const Arguments &args)
{
    // A GPU that is not there fails at once, before any worker starts or any folder is made.
    if (auto device = args.optional("device"))
        requireDevice(*device);
    const TrainerOptions options = trainerOptionsFromEnvironment();
    if (args.has("nproc") && !std::getenv("RANK")) {
        const int n = args.integer("nproc", 1);
        if (n < 1 || n > 256)
            throw UsageError("option --nproc: expected 1..256 workers");
        if (n > 1)
            return launchWorkers(n);
    }
    args.allowOnly({ "config", "out", "resume", "name", "corpus", "format", "convert", "tokenizer",
        "model-kind", "init", "preset", "max-steps", "epochs", "batch-size", "grad-accum", "lr",
        "warmup", "schedule", "max-len", "layout", "loss", "val", "seed", "eval-every",
        "save-every", "threads", "nproc", "device", "precision", "quiet", "download", "probes",
        "probe-count" });
    std::unique_ptr<Trainer> trainer;
    if (auto dir = args.optional("resume")) {
        for (const char *o : { "config", "out", "corpus", "init", "preset", "tokenizer" })
            if (args.has(o))
                throw UsageError(std::string("--resume continues a run as its run.json says; --")
                    + o + " cannot change it");
        trainer = Trainer::resume(*dir, options);
        if (args.has("device") || args.has("precision"))
            trainer->overrideDevice(args.optional("device").value_or(trainer->config().device),
                args.word("precision", trainer->config().precision, parsePrecision));
    } else {
        const RunConfig config = configFrom(args);
        requireDevice(config.device);
        // --download: a repo id of model.init or tokenizer.path the cache lacks is fetched now.
        for (const std::string &location : { config.init, config.tokenizer })
            if (!location.empty() && location != "scratch" && RepoId::parse(location))
                modelLocation(args, location);
        trainer = Trainer::create(config, args.required("out"), options);
    }
    // Data-parallel workers other than rank 0 stay silent: rank 0 speaks for the run.
    const bool worker = options.distributed.worldSize > 1 && options.distributed.rank != 0;
    const bool quiet = args.has("quiet") || worker;
    nlohmann::json epochs = nlohmann::json::array();
    nlohmann::json lastValid;
    Trainer &t = *trainer;
    t.setCallback([&](const TrainingEvent &e) {
        if (!quiet)
            printProgress(e, t.totalSteps());
        if (e.event == EventKind::Epoch)
            epochs.push_back({ { "epoch", e.epoch }, { "step", e.step },
                { "train_loss", number(e.loss) }, { "train_acc", number(e.acc) } });
        if (e.event == EventKind::Valid) {
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
    const TrainingEvent *last = t.lastEvent(EventKind::Train);
    nlohmann::json out = { { "run", t.config().name }, { "dir", t.directory().path().string() },
        { "state", toString(t.state()) }, { "step", t.currentStep() },
        { "total_steps", t.totalSteps() }, { "epochs", epochs } };
    if (last) {
        out["tokens"] = last->tokens;
        out["time_s"] = last->time;
        out["tokens_per_s"] = number(last->tokensPerSecond);
        out["last_loss"] = number(last->loss);
    }
    if (!lastValid.is_null())
        out["valid"] = lastValid;
    // The last evaluation's probe replies: how the model answers now, at a glance.
    const ProbeLog probes = readProbeLog(t.directory().probesFile());
    if (!probes.replies.empty()) {
        out["probes"] = nlohmann::json::array();
        for (const ProbeReply &r : probes.at(probes.steps().back()))
            out["probes"].push_back(
                { { "step", r.step }, { "prompt", r.prompt() }, { "reply", r.reply } });
    }
    if (const TrainingEvent *failed = t.lastEvent(EventKind::Failed))
        out["error"] = failed->message;
    if (!worker)
        printJson(out);
    return t.state() == RunState::Failed ? 1 : 0;
}

} // namespace

void addTrainCommands(std::vector<Command> &out)
{
    out.push_back({ "train",
        "(--config run.json | --corpus FILE) --out RUNDIR [overrides] | --resume RUNDIR",
        "Train a run headless. Settings come from --config (run.json, docs/training.md) with "
        "these\n"
        "flags on top: --name NAME --corpus FILE --format F --convert C --tokenizer DIR|REPO_ID\n"
        "--model-kind gpt2|gpt2+transformer --init scratch|DIR|REPO_ID --preset tiny|small|base\n"
        "--max-steps N --epochs N --batch-size N --grad-accum N --lr X --warmup N\n"
        "--schedule linear|cosine|constant --max-len N --layout chitchat|cdial\n"
        "--loss all|response --val N|FRACTION --seed N --eval-every N --save-every N --threads N\n"
        "--device cpu|cuda|cuda:N --precision fp32|bf16 (also with --resume: train on there).\n"
        "--probes FILE: prompts (one per line, or dialogues without their last utterance) every\n"
        "evaluation answers greedily into RUNDIR/probes.jsonl; without it the first\n"
        "--probe-count N (default 3, 0: none) held-out dialogues are the probes.\n"
        "--layout cdial lays dialogues out as CDial-GPT does ([speaker1]/[speaker2] tokens) and\n"
        "learns the final response only unless --loss says otherwise. --nproc N trains with N\n"
        "data-parallel workers on this machine (torch.distributed, Gloo); under torchrun or Slurm\n"
        "the RANK / WORLD_SIZE / MASTER_ADDR / MASTER_PORT variables do the same across\n"
        "machines (NCCL for GPUs when built with it). RUNDIR gets run.json, metrics.jsonl,\n"
        "probes.jsonl and checkpoints/step-N. A repo id (ORG/NAME[@REV], in --init, --tokenizer\n"
        "or run.json) comes from the Hugging Face cache (--download fetches it when missing) and\n"
        "is recorded in run.json pinned to its commit. A progress line goes to stderr (--quiet:\n"
        "none); at the end one JSON summary (with the last probe replies) goes to stdout. Ctrl-C\n"
        "stops at the next step with a checkpoint; --resume RUNDIR continues exactly where it\n"
        "stopped.",
        { "quiet" }, train });
}

} // namespace chatbench::cli
