#pragma once
// Which hand-written CPU kernel a batch-1 decoding product runs: AVX2 + FMA where the CPU has it
// (checked at run time, so one binary serves every x86-64 machine), a portable loop elsewhere.
// Tests run every kernel the CPU supports against the same reference. Torch-free.

namespace chatbench {

enum class CpuKernel { Portable, Avx2 };

bool cpuRuns(CpuKernel kernel); // whether this CPU can run it
// The fastest this CPU runs, or the portable one when the environment sets
// CHATBENCH_CPU_KERNEL=portable: side-by-side benchmarks, and ruling a kernel in or out.
CpuKernel bestCpuKernel();
const char *cpuKernelName(CpuKernel kernel);

} // namespace chatbench
