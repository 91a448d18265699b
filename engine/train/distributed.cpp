#include "train/distributed.h"

#include "chatbench/device.h"
#include "chatbench/error.h"

#include <string>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/version.h>

// CMake defines CHATBENCH_WITH_NCCL (and USE_C10D_NCCL, which the header needs) only for a
// CUDA libtorch whose nccl.h it found; Debian's CPU libtorch compiles this out.
#ifdef CHATBENCH_WITH_NCCL
#include <c10/cuda/CUDAFunctions.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace chatbench {

namespace {

constexpr std::int64_t kBucketElements = 4 << 20; // 16 MiB of float32 per collective

// The process groups' common base: c10d::ProcessGroup in libtorch 1.13; from 2.0 the backends
// derive from c10d::Backend instead.
#if TORCH_VERSION_MAJOR >= 2
using Group = c10d::Backend;
#else
using Group = c10d::ProcessGroup;
#endif

} // namespace

struct Distributed::Impl
{
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<Group> group;
    const char *backend = "gloo";
    std::chrono::milliseconds timeout { 120000 };
    std::string where;

    void wait(const c10::intrusive_ptr<c10d::Work> &work, const char *what)
    {
        try {
            work->wait(timeout);
        } catch (const std::exception &e) {
            std::string why = e.what();
            throw Error("distributed " + std::string(what) + " failed (" + where
                + "): a worker stopped or the network failed: " + why.substr(0, why.find('\n')));
        }
    }
};

const char *Distributed::backend() const
{
    return d->backend;
}

std::unique_ptr<Distributed> Distributed::connect(
    const DistributedOptions &options, const std::string &device)
{
    const int world = options.worldSize;
    if (world <= 1)
        return nullptr;
    const int rank = options.rank;
    if (rank < 0 || rank >= world)
        throw Error("a world of " + std::to_string(world) + " workers needs a rank in 0.."
            + std::to_string(world - 1) + ", got " + std::to_string(rank));
    const std::string host = options.masterAddress.empty() ? "127.0.0.1" : options.masterAddress;
    const int port = options.masterPort;
    std::unique_ptr<Distributed> out(new Distributed);
    out->m_rank = rank;
    out->m_world = world;
    out->d = std::make_unique<Impl>();
    out->d->timeout = std::chrono::milliseconds(1000L * options.timeoutSeconds);
    out->d->where = "rank " + std::to_string(rank) + " of " + std::to_string(world) + ", " + host
        + ":" + std::to_string(port);
    try {
        c10d::TCPStoreOptions options;
        options.port = std::uint16_t(port);
        options.isServer = rank == 0;
        options.numWorkers = std::size_t(world);
        options.waitWorkers = true;
        options.timeout = out->d->timeout;
        out->d->store = c10::make_intrusive<c10d::TCPStore>(host, options);
        if (device != "cpu") {
#ifdef CHATBENCH_WITH_NCCL
            // Each worker's communicator and CUDA context on its own GPU, not all on GPU 0.
            const int index = cudaDeviceIndex(device);
            c10::cuda::set_device(static_cast<c10::DeviceIndex>(index < 0 ? 0 : index));
            auto ncclOptions = c10d::ProcessGroupNCCL::Options::create();
            ncclOptions->timeout = out->d->timeout;
            out->d->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(
                out->d->store, rank, world, ncclOptions);
            out->d->backend = "nccl";
            return out;
#endif
            // Without NCCL, Gloo reduces the GPU tensors (slower: through host memory).
        }
        auto groupOptions = c10d::ProcessGroupGloo::Options::create(out->d->timeout);
        groupOptions->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(
            host == "localhost" ? "127.0.0.1" : host));
        out->d->group
            = c10::make_intrusive<c10d::ProcessGroupGloo>(out->d->store, rank, world, groupOptions);
    } catch (const Error &) {
        throw;
    } catch (const std::exception &e) {
        std::string why = e.what();
        throw Error("distributed rendezvous failed (" + out->d->where
            + "): " + why.substr(0, why.find('\n')));
    }
    return out;
}

Distributed::~Distributed() = default;

void Distributed::allReduceSum(torch::Tensor &flat)
{
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (std::int64_t begin = 0; begin < flat.numel(); begin += kBucketElements) {
        std::vector<torch::Tensor> bucket { flat.narrow(
            0, begin, std::min(kBucketElements, flat.numel() - begin)) };
        works.push_back(d->group->allreduce(bucket));
    }
    for (auto &w : works)
        d->wait(w, "gradient all-reduce");
}

void Distributed::broadcastFromRoot(torch::Tensor &flat)
{
    std::vector<torch::Tensor> tensors { flat };
    d->wait(d->group->broadcast(tensors), "broadcast");
}

void Distributed::signal(const std::string &key)
{
    if (m_rank == 0)
        d->store->set(key, std::vector<std::uint8_t> { 1 });
}

void Distributed::waitFor(const std::string &key)
{
    if (m_rank == 0)
        return;
    try {
        d->store->wait({ key }, d->timeout);
    } catch (const std::exception &e) {
        throw Error("distributed: rank 0 did not get ready (" + d->where + "): " + e.what());
    }
}

} // namespace chatbench
