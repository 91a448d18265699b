#include "model/device.h"

#include "chatbench/error.h"

#include <ATen/Context.h>
#include <ATen/autocast_mode.h>
#include <torch/cuda.h>
#include <torch/version.h>

#ifdef CHATBENCH_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

// libtorch 2.4 replaced the per-backend autocast setters with ones taking a device type and
// deprecated the old names; 1.13 has only the old ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define CHATBENCH_AUTOCAST_BY_DEVICE_TYPE 1
#endif

namespace chatbench {

bool cudaBuilt()
{
    return at::hasCUDA();
}

int cudaDeviceCount()
{
    return cudaBuilt() ? int(torch::cuda::device_count()) : 0;
}

void requireDevice(const std::string &name)
{
    const int index = cudaDeviceIndex(name);
    if (name == "cpu")
        return;
    if (!cudaBuilt())
        throw Error("device '" + name
            + "': this chatbench was built against a libtorch without CUDA (libtorch " TORCH_VERSION
              "); build it against a CUDA libtorch (README: GPU and headless builds)");
#ifndef CHATBENCH_WITH_CUDA
    throw Error("device '" + name
        + "': this chatbench was built with CHATBENCH_CUDA=OFF, though its libtorch has CUDA");
#endif
    const int count = cudaDeviceCount();
    if (count == 0)
        throw Error("device '" + name
            + "': no CUDA device found (libtorch has CUDA, but the driver reports no GPU)");
    if (index >= count)
        throw Error("device '" + name + "': no CUDA device " + std::to_string(index) + " ("
            + std::to_string(count) + " available)");
}

std::string deviceDescription(const std::string &name)
{
    if (name == "cpu")
        return "cpu";
#ifdef CHATBENCH_WITH_CUDA
    requireDevice(name);
    const int index = cudaDeviceIndex(name);
    return at::cuda::getDeviceProperties(index < 0 ? 0 : index)->name;
#else
    return name;
#endif
}

torch::Device torchDevice(const std::string &name)
{
    const int index = cudaDeviceIndex(name);
    if (name == "cpu")
        return torch::Device(torch::kCPU);
    return index < 0 ? torch::Device(torch::kCUDA)
                     : torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

torch::Device moduleDevice(const torch::nn::Module &module)
{
    for (const auto &p : module.parameters())
        return p.device();
    return torch::Device(torch::kCPU);
}

AutocastScope::AutocastScope(torch::Device device, bool enabled)
{
    if (!enabled)
        return;
    m_active = true;
    m_cuda = device.is_cuda();
#ifdef CHATBENCH_AUTOCAST_BY_DEVICE_TYPE
    const auto type = m_cuda ? at::kCUDA : at::kCPU;
    m_wasEnabled = at::autocast::is_autocast_enabled(type);
    m_previousType = at::autocast::get_autocast_dtype(type);
    at::autocast::set_autocast_dtype(type, at::kBFloat16);
    at::autocast::set_autocast_enabled(type, true);
#else
    if (m_cuda) {
        m_wasEnabled = at::autocast::is_enabled();
        m_previousType = at::autocast::get_autocast_gpu_dtype();
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        at::autocast::set_enabled(true);
    } else {
        m_wasEnabled = at::autocast::is_cpu_enabled();
        m_previousType = at::autocast::get_autocast_cpu_dtype();
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(true);
    }
#endif
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope()
{
    if (!m_active)
        return;
    // The casts of the weights are cached for the scope (one bf16 copy per step): drop them
    // when the outermost scope ends, as torch.autocast's __exit__ does, or the next step would
    // reuse copies of the weights before the optimizer's update.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
#ifdef CHATBENCH_AUTOCAST_BY_DEVICE_TYPE
    const auto type = m_cuda ? at::kCUDA : at::kCPU;
    at::autocast::set_autocast_enabled(type, m_wasEnabled);
    at::autocast::set_autocast_dtype(type, m_previousType);
#else
    if (m_cuda) {
        at::autocast::set_enabled(m_wasEnabled);
        at::autocast::set_autocast_gpu_dtype(m_previousType);
    } else {
        at::autocast::set_cpu_enabled(m_wasEnabled);
        at::autocast::set_autocast_cpu_dtype(m_previousType);
    }
#endif
}

} // namespace chatbench
