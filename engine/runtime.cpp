#include "chatbench/runtime.h"

#include <ATen/Parallel.h>
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

int computeThreads()
{
    return at::get_num_threads();
}

const char *engineDescription()
{
    static const std::string text = "libtorch " TORCH_VERSION ", CPU";
    return text.c_str();
}

} // namespace chatbench
