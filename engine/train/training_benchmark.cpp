#include "chatbench/training_benchmark.h"

#include "chatbench/error.h"
#include "chatbench/runtime.h"
#include "model/device.h"
#include "train/flat_adamw.h"
#include "train/gpt2_trainable.h"

#include <ATen/ATen.h>
#include <chrono>
#include <torch/cuda.h>

namespace chatbench {

namespace {

using Clock = std::chrono::steady_clock;

// GPU kernels run asynchronously: a phase's time counts only once its kernels have finished.
void synchronize(const torch::Device &device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.has_index() ? device.index() : -1);
}

double msSince(Clock::time_point t, const torch::Device &device = torch::Device(torch::kCPU))
{
    synchronize(device);
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

} // namespace

double measureGemmGflops(int n, double seconds, const std::string &deviceName, bool bf16)
{
    torch::NoGradGuard noGrad;
    const torch::Device device = torchDevice(deviceName);
    const auto options
        = torch::TensorOptions().device(device).dtype(bf16 ? torch::kBFloat16 : torch::kFloat32);
    auto a = torch::randn({ n, n }, options), b = torch::randn({ n, n }, options),
         c = torch::empty({ n, n }, options);
    at::mm_out(c, a, b); // warm-up: thread pool, packing buffers
    double best = 0;
    const auto start = Clock::now();
    while (msSince(start) < seconds * 1000 || best == 0) {
        const auto t = Clock::now();
        at::mm_out(c, a, b);
        const double ms = msSince(t, device);
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
    requireDevice(o.device);
    const torch::Device device = torchDevice(o.device);
    const bool bf16 = o.precision == Precision::Bf16;
    Gpt2LMHeadModel model(config);
    model->initWeights(1);
    model->to(device);
    model->train();
    Gpt2Trainable trainable(model);
    AdamWOptions adam;
    adam.weightDecay = 0.01;
    FlatAdamW optimizer(*model, adam);

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
        LmLoss lm;
        {
            AutocastScope autocast(device, bf16);
            lm = trainable.loss(batch, read);
        }
        const double f = msSince(t, device);
        t = Clock::now();
        lm.loss.backward();
        const double b = msSince(t, device);
        t = Clock::now();
        optimizer.clipGradNorm(1.0);
        optimizer.step(1e-4);
        const double u = msSince(t, device);
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
    r.gemmGflops = measureGemmGflops(1024, 0.5, o.device, bf16);
    return r;
}

} // namespace chatbench
