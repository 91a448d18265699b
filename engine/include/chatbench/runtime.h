#pragma once
// Process-wide engine settings. libtorch on these machines defaults to one intra-op thread;
// ChatBench defaults to all cores (call configureThreads(0) at start-up).

namespace chatbench {

// Sets libtorch's intra-op threads; 0 means all cores. Returns the count in effect.
int configureThreads(int threads);
int computeThreads();
// Training allocates the same large activations every step. By default glibc hands blocks over
// 32 MB (and a freed heap top) back to the kernel, which then zero-fills them again on the next
// step's page faults: 10-12% of a tiny step. This keeps freed memory in the process for reuse
// instead; the resident size stays at the step's peak, which training reaches anyway. Idempotent.
void keepFreedMemoryForReuse();
// "libtorch 1.13.1, 2 threads, BLAS ..." for --version and the GUI's status bar.
const char *engineDescription();

} // namespace chatbench
