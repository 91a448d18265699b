#pragma once
// The numbers behind `chatbench-cli bench train`: training throughput of a size preset on
// random tokens, split into forward, backward and optimizer time, beside the machine's GEMM
// ceiling measured in the same process with the same threads.

#include "chatbench/device.h"

#include <cstdint>
#include <string>

namespace chatbench {

struct TrainingBenchmarkOptions
{
    std::string preset = "tiny"; // Gpt2Config::preset; n_positions raised to seq if needed
    int batchSize = 16;
    int seq = 128;
    int steps = 10; // timed steps, after warmupSteps untimed ones
    int warmupSteps = 2;
    std::string device = "cpu"; // chatbench/device.h
    Precision precision = Precision::Fp32; // Bf16: autocast, as the trainer
};

struct TrainingBenchmarkResult
{
    int threads = 1;
    std::int64_t parameters = 0; // N: without position embeddings
    double flopsPerToken = 0; // 6 N + 12 L T d
    double tokensPerSecond = 0;
    double modelGflops = 0; // tokensPerSecond * flopsPerToken
    double gemmGflops = 0; // torch::mm 1024 x 1024 fp32 (bf16 when so benchmarked) on the device
    // Mean milliseconds per step: forward + loss, backward, clip + AdamW (one flat buffer).
    double forwardMs = 0, backwardMs = 0, optimizerMs = 0, stepMs = 0;
};

TrainingBenchmarkResult benchmarkTraining(const TrainingBenchmarkOptions &options);
// GFLOP/s of an n x n matrix product (fp32, or bf16), best of repeated runs for about
// `seconds`, on device.
double measureGemmGflops(
    int n = 1024, double seconds = 0.5, const std::string &device = "cpu", bool bf16 = false);

} // namespace chatbench
