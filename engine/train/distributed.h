#pragma once
// Data-parallel training over torch's own c10d: a TCPStore rendezvous from the variables
// torchrun and Slurm launchers set (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT) and
// a process group for the collectives: ProcessGroupNCCL for GPU training when this build has it
// (CHATBENCH_WITH_NCCL), ProcessGroupGloo otherwise. No home-made protocol: any standard
// launcher starts workers. Internal to the engine.

#include <memory>
#include <string>
#include <torch/types.h>

namespace chatbench {

class Distributed
{
public:
    // nullptr unless WORLD_SIZE > 1. Throws chatbench::Error for inconsistent variables or a
    // rendezvous that does not complete within the timeout (CHATBENCH_DIST_TIMEOUT_S, default
    // 120 s), naming the address.
    // device: the worker's own ("cuda:LOCAL_RANK" for GPU training; chatbench/device.h).
    static std::unique_ptr<Distributed> fromEnvironment(const std::string &device = "cpu");
    // LOCAL_RANK (0 when unset): which of this machine's GPUs a worker takes.
    static int localRankFromEnvironment();
    // "nccl" or "gloo".
    const char *backend() const;
    ~Distributed();

    int rank() const { return m_rank; }
    int worldSize() const { return m_world; }

    // Sums a flat float buffer over all ranks in place, in buckets (so the transfer of one
    // overlaps the reduction of the next). Throws chatbench::Error when a peer is gone.
    void allReduceSum(torch::Tensor &flat);
    void broadcastFromRoot(torch::Tensor &flat);
    // Rank 0 announces `key`; the others wait for it (bounded by the timeout).
    void signal(const std::string &key);
    void waitFor(const std::string &key);

private:
    Distributed() = default;
    struct Impl;
    std::unique_ptr<Impl> d;
    int m_rank = 0, m_world = 1;
};

} // namespace chatbench
