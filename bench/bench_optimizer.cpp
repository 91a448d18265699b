// Optimizer + gradient clipping time per step: FlatAdamW (one flat buffer) against libtorch's
// per-tensor AdamW + clip_grad_norm_, side by side in one run on the same model.
// Usage: bench_optimizer [--preset tiny|small|base] [--steps N] [--threads K]; prints JSON.

#include "chatbench/runtime.h"
#include "model/gpt2.h"
#include "train/flat_adamw.h"

#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>

using namespace chatbench;

namespace {

void fillGrads(torch::nn::Module &m)
{
    torch::NoGradGuard noGrad;
    for (auto &p : m.parameters())
        p.mutable_grad().normal_(0.0, 1e-3);
}

template<typename F>
double msPerStep(int steps, F &&step)
{
    step(); // warm-up
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < steps; ++i)
        step();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
               .count()
        / steps;
}

} // namespace

static int run(int argc, char **argv)
{
    std::string presetName = "small";
    int steps = 20, threads = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--preset"))
            presetName = argv[i + 1];
        else if (!std::strcmp(argv[i], "--steps"))
            steps = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--threads"))
            threads = std::stoi(argv[i + 1]);
    }
    threads = configureThreads(threads);
    const Gpt2Config config = Gpt2Config::preset(presetName);

    Gpt2LMHeadModel flatModel(config);
    FlatAdamW flat(*flatModel, { 0.9, 0.999, 1e-8, 0.01 });
    fillGrads(*flatModel);
    const double flatMs = msPerStep(steps, [&] {
        flat.clipGradNorm(1.0);
        flat.step(1e-4);
    });

    Gpt2LMHeadModel refModel(config);
    for (auto &p : refModel->parameters())
        p.mutable_grad() = torch::zeros_like(p);
    fillGrads(*refModel);
    torch::optim::AdamW reference(
        refModel->parameters(), torch::optim::AdamWOptions(1e-4).weight_decay(0.01));
    const double torchMs = msPerStep(steps, [&] {
        torch::nn::utils::clip_grad_norm_(refModel->parameters(), 1.0);
        reference.step();
    });

    std::cout << "{\"preset\":\"" << presetName << "\",\"parameters\":" << config.parameterCount()
              << ",\"threads\":" << threads << ",\"flat_adamw_ms\":" << flatMs
              << ",\"torch_adamw_ms\":" << torchMs << ",\"speedup\":" << torchMs / flatMs << "}\n";
    return 0;
}

int main(int argc, char **argv)
{
    try {
        return run(argc, argv);
    } catch (const std::exception &e) {
        std::cerr << "bench_optimizer: " << e.what() << "\n";
        return 1;
    }
}
