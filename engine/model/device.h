#pragma once
// The torch side of chatbench/device.h: device names as torch::Device, and the autocast scope
// the trainer wraps forward passes in. Internal to the engine.

#include "chatbench/device.h"

#include <torch/nn/module.h>
#include <torch/types.h>

namespace chatbench {

// name as checkDeviceName accepts it; "cuda" is the current (first) GPU.
torch::Device torchDevice(const std::string &name);
// Where the module's parameters live (CPU for a module without parameters).
torch::Device moduleDevice(const torch::nn::Module &module);

// bf16 autocast on device's type for the scope's lifetime (thread-local, like torch's own
// autocast context); a no-op when not enabled. Matrix products run in bfloat16, reductions and
// normalisation stay float32, and parameters stay float32 (autocast casts copies per op).
class AutocastScope
{
public:
    AutocastScope(torch::Device device, bool enabled);
    ~AutocastScope();
    AutocastScope(const AutocastScope &) = delete;
    AutocastScope &operator=(const AutocastScope &) = delete;

private:
    bool m_active = false;
    bool m_cuda = false;
    bool m_wasEnabled = false;
    at::ScalarType m_previousType = at::kFloat;
};

} // namespace chatbench
