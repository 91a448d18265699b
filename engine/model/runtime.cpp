#include "chatbench/runtime.h"

#include "chatbench/device.h"

#include <ATen/Parallel.h>
#include <malloc.h>
#include <string>
#include <thread>
#include <torch/version.h>

namespace chatbench {

int configureThreads(int threads)
{
    if (threads <= 0)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    return at::get_num_threads();
}

void keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_MAX, 0); // large blocks from the heap, so free() keeps them
    mallopt(M_TRIM_THRESHOLD, 1 << 30); // ...and does not shrink the heap under 1 GiB of slack
#endif
}

int computeThreads()
{
    return at::get_num_threads();
}

const char *engineDescription()
{
    static const std::string text = [] {
        const int gpus = cudaDeviceCount();
        return std::string("libtorch " TORCH_VERSION ", ")
            + (gpus > 0           ? "CUDA, " + std::to_string(gpus) + " GPU" + (gpus > 1 ? "s" : "")
                    : cudaBuilt() ? "CUDA, no GPU"
                                  : "CPU");
    }();
    return text.c_str();
}

} // namespace chatbench
