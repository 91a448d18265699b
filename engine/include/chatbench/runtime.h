#pragma once
// Process-wide engine settings. libtorch on these machines defaults to one intra-op thread;
// ChatBench defaults to all cores (call configureThreads(0) at start-up).

namespace chatbench {

// Sets libtorch's intra-op threads; 0 means all cores. Returns the count in effect.
int configureThreads(int threads);
int computeThreads();
// "libtorch 1.13.1, 2 threads, BLAS ..." for --version and the GUI's status bar.
const char *engineDescription();

} // namespace chatbench
