// bench train, bench generate: throughput figures as JSON, for bench/ scripts and the README.

#include "chatbench/device.h"
#include "chatbench/language_model.h"
#include "chatbench/runtime.h"
#include "chatbench/sampling.h"
#include "chatbench/training_benchmark.h"
#include "commands.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <thread>

namespace chatbench::cli {
namespace {

// Memory bandwidth as STREAM's Copy counts it (bytes read + bytes written per second) for a
// memcpy of a buffer far beyond the last cache level, split over `threads` threads: what
// streaming the weights once per token could reach on this machine at this thread count. Best
// of a few passes.
double copyBytesPerSecond(int threads)
{
    constexpr std::size_t kBytes = std::size_t(512) << 20;
    std::unique_ptr<char[]> from(new char[kBytes]), to(new char[kBytes]);
    std::memset(from.get(), 1, kBytes); // touch every page before timing
    std::memset(to.get(), 0, kBytes);
    const std::size_t slice = kBytes / std::size_t(threads);
    double best = 0;
    for (int pass = 0; pass < 5; ++pass) {
        const auto started = std::chrono::steady_clock::now();
        std::vector<std::thread> workers;
        for (int t = 1; t < threads; ++t)
            workers.emplace_back([&, t] {
                std::memcpy(
                    to.get() + std::size_t(t) * slice, from.get() + std::size_t(t) * slice, slice);
            });
        std::memcpy(to.get(), from.get(), slice);
        for (auto &w : workers)
            w.join();
        const std::chrono::duration<double> s = std::chrono::steady_clock::now() - started;
        best = std::max(best, 2.0 * double(slice) * double(threads) / s.count());
    }
    return best;
}

int benchTrain(const Arguments &args)
{
    args.allowOnly(
        { "preset", "batch-size", "seq", "steps", "warmup", "threads", "device", "precision" });
    TrainingBenchmarkOptions o;
    o.preset = args.optional("preset").value_or(o.preset);
    o.batchSize = args.integer("batch-size", o.batchSize);
    o.seq = args.integer("seq", o.seq);
    o.steps = args.integer("steps", o.steps);
    o.warmupSteps = args.integer("warmup", o.warmupSteps);
    o.device = deviceOption(args);
    o.precision = args.word("precision", o.precision, parsePrecision);
    configureThreads(args.integer("threads", 0));
    const TrainingBenchmarkResult r = benchmarkTraining(o);
    printJson({ { "preset", o.preset }, { "batch_size", o.batchSize }, { "seq", o.seq },
        { "device", deviceDescription(o.device) }, { "precision", toString(o.precision) },
        { "threads", r.threads }, { "parameters", r.parameters },
        { "flops_per_token", r.flopsPerToken }, { "tokens_per_s", r.tokensPerSecond },
        { "model_gflops", r.modelGflops }, { "gemm_gflops", r.gemmGflops },
        { "ceiling_fraction", r.modelGflops / r.gemmGflops }, { "step_ms", r.stepMs },
        { "forward_ms", r.forwardMs }, { "backward_ms", r.backwardMs },
        { "optimizer_ms", r.optimizerMs } });
    return 0;
}

int benchGenerate(const Arguments &args)
{
    args.allowOnly({ "model", "preset", "context", "new", "no-cache", "torch-step", "threads",
        "device", "precision", "download" });
    const bool hasModel = args.has("model");
    if (hasModel == args.has("preset"))
        throw UsageError("give exactly one of --model DIR or --preset tiny|small|base");
    const int context = args.integer("context", 32), newTokens = args.integer("new", 64);
    if (context < 1 || newTokens < 2)
        throw UsageError("need --context >= 1 and --new >= 2");
    const int threads = configureThreads(args.integer("threads", 0));
    const std::string source = hasModel ? args.required("model") : args.required("preset");
    const std::string device = deviceOption(args);
    auto lm = hasModel ? loadModel(modelLocation(args, source), device)
                       : LanguageModel::create(Gpt2Config::preset(source), 1);
    if (!hasModel && device != "cpu")
        lm.toDevice(device);
    if (context + newTokens > lm.config().nPositions)
        throw UsageError("--context + --new exceeds the model's "
            + std::to_string(lm.config().nPositions) + " positions");
    const auto vocab = std::int32_t(lm.config().vocabSize);
    std::vector<std::int32_t> prompt;
    for (int i = 0; i < context; ++i)
        prompt.push_back(std::int32_t((i * 7919 + 13) % vocab));
    SamplingOptions options; // GPT2-chitchat's chat setting: top-k 8
    options.topK = 8;
    options.maxNewTokens = newTokens;
    options.minNewTokens = newTokens;
    options.useCache = !args.has("no-cache");
    options.fastStep = !args.has("torch-step");
    options.precision = args.word("precision", Precision::Fp32, parsePrecision);
    options.bannedIds.clear();
    options.stopIds.clear();
    SamplingOptions warmUp = options; // allocator, thread pool, first-call paths
    warmUp.maxNewTokens = warmUp.minNewTokens = 4;
    generate(lm, prompt, warmUp);
    const Generation g = generate(lm, prompt, options).front();
    // The first token also encodes the prompt: it is reported on its own.
    const double perToken = (g.tokenMs.back() - g.tokenMs.front()) / double(g.tokenMs.size() - 1);
    // A step reads every weight once (wte twice over: its row and the tied lm_head, counted once)
    // but only one row of wpe.
    const Gpt2Config &c = lm.config();
    const double bytesPerWeight = options.precision == Precision::Bf16 ? 2.0 : 4.0;
    const double weightBytes
        = bytesPerWeight * double(c.parameterCount() - c.nPositions * c.nEmbd + c.nEmbd);
    const double copyBandwidth = copyBytesPerSecond(threads);
    printJson({ { "model", source }, { "context", context }, { "new", g.tokenMs.size() },
        { "cache", options.useCache }, { "torch_step", !options.fastStep },
        { "precision", toString(options.precision) }, { "threads", threads },
        { "device", deviceDescription(device) }, { "ms_per_token", perToken },
        { "first_token_ms", g.tokenMs.front() }, { "weight_bytes", weightBytes },
        { "copy_gb_per_s", copyBandwidth / 1e9 },
        { "floor_ms_per_token", 1e3 * weightBytes / copyBandwidth } });
    return 0;
}

} // namespace

void addBenchCommands(std::vector<Command> &out)
{
    out.push_back({ "bench train",
        "--preset tiny|small|base [--batch-size 16] [--seq 128] [--steps 10] [--threads K]\n"
        "    [--device cpu|cuda:N] [--precision fp32|bf16]",
        "Train a randomly initialised preset on random tokens and print tokens/s, the achieved\n"
        "GFLOP/s (6N + 12 L T d per token, N without position embeddings), the GEMM ceiling\n"
        "(torch::mm 1024^2 fp32, same process and threads) and forward / backward / optimizer\n"
        "milliseconds per step. --warmup N untimed steps first (default 2).",
        {}, benchTrain });
    out.push_back({ "bench generate",
        "--model DIR|--preset P [--context 32] [--new 64] [--no-cache] [--torch-step] "
        "[--threads K]\n    [--device cpu|cuda:N] [--precision fp32|bf16]",
        "Per-token decoding time at batch 1 with top-k 8 after a prompt of C tokens, with or\n"
        "without the KV cache; ms_per_token averages the steps after the first (reported as\n"
        "first_token_ms, it also encodes the prompt). Presets have n_positions 1024.\n"
        "--torch-step decodes cached steps with torch ops instead of the engine's own step.\n"
        "--precision bf16 decodes with bfloat16 weight matrices (generate --precision).\n"
        "Also: weight_bytes (the weights a step reads, 4 or 2 bytes each), copy_gb_per_s\n"
        "(memcpy of 512 MiB over K threads in the same run, bytes read + written per second as\n"
        "STREAM counts them, best of 5) and floor_ms_per_token = weight_bytes / copy_gb_per_s:\n"
        "the memory-bandwidth floor.",
        { "no-cache", "torch-step" }, benchGenerate });
}

} // namespace chatbench::cli
