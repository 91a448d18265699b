#include "chatbench/training_benchmark.h"

#include "chatbench/error.h"
#include "chatbench/runtime.h"
#include "train/flat_adamw.h"
#include "train/gpt2_trainable.h"

#include <ATen/ATen.h>
#include <chrono>

namespace chatbench {

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

} // namespace

double measureGemmGflops(int n, double seconds)
{
    torch::NoGradGuard noGrad;
    auto a = torch::randn({ n, n }), b = torch::randn({ n, n }), c = torch::empty({ n, n });
    at::mm_out(c, a, b); // warm-up: thread pool, packing buffers
    double best = 0;
    const auto start = Clock::now();
    while (msSince(start) < seconds * 1000 || best == 0) {
        const auto t = Clock::now();
        at::mm_out(c, a, b);
        const double ms = msSince(t);
        best = std::max(best, 2.0 * n * n * n / (ms * 1e6));
    }
    return best;
}

TrainingBenchmarkResult benchmarkTraining(const TrainingBenchmarkOptions &o)
{
    if (o.batchSize < 1 || o.seq < 2 || o.steps < 1 || o.warmupSteps < 0)
        throw Error("bench train: need batch size >= 1, seq >= 2, steps >= 1");
    keepFreedMemoryForReuse(); // as the Trainer does
    Gpt2Config config = Gpt2Config::preset(o.preset);
    config.nPositions = std::max<std::int64_t>(config.nPositions, o.seq);
    Gpt2LMHeadModel model(config);
    model->initWeights(1);
    model->train();
    Gpt2Trainable trainable(model);
    FlatAdamW optimizer(*model, AdamWOptions { 0.9, 0.999, 1e-8, 0.01 });

    Batch batch;
    batch.rows = std::size_t(o.batchSize);
    batch.columns = std::size_t(o.seq);
    auto ids = torch::randint(
        0, config.vocabSize, { o.batchSize, o.seq }, torch::TensorOptions().dtype(torch::kInt32));
    batch.ids.assign(ids.data_ptr<std::int32_t>(), ids.data_ptr<std::int32_t>() + ids.numel());
    batch.labels = batch.ids;

    TrainingBenchmarkResult r;
    r.threads = computeThreads();
    r.parameters = trainable.flopParameters();
    r.flopsPerToken
        = 6.0 * double(r.parameters) + 12.0 * double(config.nLayer * o.seq * config.nEmbd);
    double forward = 0, backward = 0, update = 0;
    for (int s = 0; s < o.warmupSteps + o.steps; ++s) {
        const bool timed = s >= o.warmupSteps;
        optimizer.zeroGrad();
        auto t = Clock::now();
        std::uint64_t read = 0;
        LmLoss lm = trainable.loss(batch, read);
        const double f = msSince(t);
        t = Clock::now();
        lm.loss.backward();
        const double b = msSince(t);
        t = Clock::now();
        optimizer.clipGradNorm(1.0);
        optimizer.step(1e-4);
        const double u = msSince(t);
        if (timed) {
            forward += f;
            backward += b;
            update += u;
        }
    }
    r.forwardMs = forward / o.steps;
    r.backwardMs = backward / o.steps;
    r.optimizerMs = update / o.steps;
    r.stepMs = r.forwardMs + r.backwardMs + r.optimizerMs;
    r.tokensPerSecond = double(o.batchSize) * o.seq / (r.stepMs / 1000.0);
    r.modelGflops = r.tokensPerSecond * r.flopsPerToken / 1e9;
    r.gemmGflops = measureGemmGflops();
    return r;
}

} // namespace chatbench
