#pragma once
// Data-parallel training over torch's own c10d: a TCPStore rendezvous at the address
// DistributedOptions gives (chatbench-cli fills it from torchrun's and Slurm's variables) and
// a process group for the collectives: ProcessGroupNCCL for GPU training when this build has it
// (CHATBENCH_WITH_NCCL), ProcessGroupGloo otherwise. No home-made protocol: any standard
// launcher starts workers. Internal to the engine.

#include "chatbench/trainer.h"

#include <memory>
#include <string>
#include <torch/types.h>

namespace chatbench {

class Distributed
{
public:
    // nullptr unless worldSize > 1. Throws chatbench::Error for an inconsistent rank or a
    // rendezvous that does not complete within the timeout, naming the address.
    // device: the worker's own ("cuda:LOCAL_RANK" for GPU training; chatbench/device.h).
    static std::unique_ptr<Distributed> connect(
        const DistributedOptions &options, const std::string &device = "cpu");
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
