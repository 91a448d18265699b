#pragma once
// Where a model computes and in which precision (no torch types here). Devices are named as
// the CLI, run.json and the GUI spell them: "cpu", "cuda" (the first GPU, or the worker's
// LOCAL_RANK GPU in data-parallel training) or "cuda:N".

#include <string>
#include <string_view>

namespace chatbench {

// Training: bf16 autocast (matrix products in bfloat16; weights, optimizer state and the loss
// stay float32). Decoding: bfloat16 copies of the weight matrices (sampling.h).
enum class Precision { Fp32, Bf16 };
const char *toString(Precision precision); // "fp32", "bf16"
// Throws chatbench::Error: "precision 'fp16': expected fp32 or bf16".
Precision parsePrecision(std::string_view name);

// Throws chatbench::Error unless name is "cpu", "cuda" or "cuda:N" (N a non-negative integer).
void checkDeviceName(const std::string &name);
// -1 for "cpu" and "cuda" (the current GPU), N for "cuda:N"; throws as checkDeviceName.
int cudaDeviceIndex(const std::string &name);

// Whether this build's libtorch can run CUDA at all, and how many GPUs it sees (0 without).
bool cudaBuilt();
int cudaDeviceCount();

// Checks that the device exists here: "this chatbench was built against a libtorch without
// CUDA", "no CUDA device 1 (1 available)". Throws chatbench::Error.
void requireDevice(const std::string &name);

// The device a data-parallel worker uses: "cuda" becomes "cuda:LOCAL_RANK"; others unchanged.
std::string deviceForLocalRank(const std::string &name, int localRank);

// "NVIDIA H100 80GB HBM3" for "cuda:0", "cpu" for the CPU; for the CLI's JSON.
std::string deviceDescription(const std::string &name);

} // namespace chatbench
