#include "model/cpu_kernel.h"

#include <cstdlib>
#include <cstring>

namespace chatbench {

bool cpuRuns(CpuKernel kernel)
{
    switch (kernel) {
    case CpuKernel::Portable:
        return true;
    case CpuKernel::Avx2:
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
        return false;
#endif
    }
    return false;
}

CpuKernel bestCpuKernel()
{
    static const CpuKernel best = [] {
        const char *forced = std::getenv("CHATBENCH_CPU_KERNEL");
        if (forced && std::strcmp(forced, "portable") == 0)
            return CpuKernel::Portable;
        return cpuRuns(CpuKernel::Avx2) ? CpuKernel::Avx2 : CpuKernel::Portable;
    }();
    return best;
}

const char *cpuKernelName(CpuKernel kernel)
{
    return kernel == CpuKernel::Avx2 ? "avx2" : "portable";
}

} // namespace chatbench
