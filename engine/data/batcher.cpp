#include "data/batcher.h"

#include "chatbench/error.h"
#include "chatbench/token_cache.h"

#include <algorithm>
#include <numeric>
#include <string>

namespace chatbench {
namespace {

// splitmix64, with our own bounded draws and Fisher-Yates: std::shuffle and the standard
// distributions differ between standard libraries, and a resumed run must see the same order
// wherever it runs.
class Random
{
public:
    explicit Random(std::uint64_t seed) : m_state(seed) { }

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    template<typename T>
    void shuffle(std::vector<T> &v)
    {
        for (std::size_t i = v.size(); i > 1; --i)
            std::swap(v[i - 1], v[next() % i]);
    }

private:
    std::uint64_t m_state;
};

// Seeds for epochs e and e+1 of the same seed must not give overlapping streams, which
// seed + epoch would.
std::uint64_t epochSeed(std::uint64_t seed, std::uint64_t epoch)
{
    Random mix(seed ^ 0x5851f42d4c957f2dULL);
    Random perEpoch(mix.next() ^ epoch);
    return perEpoch.next();
}

struct Plan
{
    std::uint64_t epoch = 0;
    bool valid = false;
    std::vector<std::size_t> examples; // every example, in batch order
    std::vector<std::size_t> starts; // batch b is examples[starts[b], starts[b + 1])

    std::size_t batchCount() const { return starts.empty() ? 0 : starts.size() - 1; }
};

} // namespace

std::size_t Batch::tokens() const
{
    return static_cast<std::size_t>(std::accumulate(lengths.begin(), lengths.end(), 0LL));
}

struct Batcher::Impl
{
    const TokenCache *cache;
    BatchOptions options;
    std::vector<std::size_t> nonEmpty; // cache indices
    std::vector<std::uint32_t> lengths; // by cache index
    std::size_t chunkSize = 0;
    Plan plan;
    BatchPosition position;
    std::vector<std::int32_t> scratch;

    const Plan &planFor(std::uint64_t epoch);
    void fill(const Plan &p, std::size_t index, Batch &out);
};

const Plan &Batcher::Impl::planFor(std::uint64_t epoch)
{
    if (plan.valid && plan.epoch == epoch)
        return plan;
    Plan p;
    p.epoch = epoch;
    p.examples = nonEmpty;
    Random random(epochSeed(options.seed, epoch));
    if (options.shuffle)
        random.shuffle(p.examples);

    // Longest first within a chunk, so a batch's first row sets its width; stable, so ties
    // keep the shuffled order and the plan stays deterministic.
    struct Span
    {
        std::size_t begin, end;
    };
    std::vector<Span> batches;
    const auto longer = [this](std::size_t a, std::size_t b) { return lengths[a] > lengths[b]; };
    for (std::size_t c = 0; c < p.examples.size(); c += chunkSize) {
        const auto first = p.examples.begin() + static_cast<std::ptrdiff_t>(c);
        const auto last = p.examples.begin()
            + static_cast<std::ptrdiff_t>(std::min(c + chunkSize, p.examples.size()));
        std::stable_sort(first, last, longer);
        const std::size_t end = static_cast<std::size_t>(last - p.examples.begin());
        for (std::size_t b = c; b < end;) {
            std::size_t e = b + 1;
            if (options.tokenBudget == 0) {
                e = std::min(b + options.batchSize, end);
            } else {
                const std::size_t width = lengths[p.examples[b]];
                const std::size_t maxRows = options.batchSize ? options.batchSize : end - b;
                while (e < end && e - b < maxRows && (e - b + 1) * width <= options.tokenBudget)
                    ++e;
            }
            batches.push_back({ b, e });
            b = e;
        }
    }
    if (options.shuffle)
        random.shuffle(batches);

    std::vector<std::size_t> ordered;
    ordered.reserve(p.examples.size());
    p.starts.reserve(batches.size() + 1);
    p.starts.push_back(0);
    for (const Span &s : batches) {
        ordered.insert(ordered.end(), p.examples.begin() + static_cast<std::ptrdiff_t>(s.begin),
            p.examples.begin() + static_cast<std::ptrdiff_t>(s.end));
        p.starts.push_back(ordered.size());
    }
    p.examples = std::move(ordered);
    p.valid = true;
    plan = std::move(p);
    return plan;
}

void Batcher::Impl::fill(const Plan &p, std::size_t index, Batch &out)
{
    const std::size_t begin = p.starts[index], end = p.starts[index + 1];
    out.position = { p.epoch, index };
    out.rows = end - begin;
    out.columns = 0;
    out.examples.assign(p.examples.begin() + static_cast<std::ptrdiff_t>(begin),
        p.examples.begin() + static_cast<std::ptrdiff_t>(end));
    out.lengths.resize(out.rows);
    for (std::size_t r = 0; r < out.rows; ++r) {
        out.lengths[r] = static_cast<std::int32_t>(lengths[out.examples[r]]);
        out.columns = std::max(out.columns, static_cast<std::size_t>(out.lengths[r]));
    }
    out.ids.assign(out.rows * out.columns, options.padId);
    out.labels.assign(out.rows * out.columns, options.ignoreLabel);
    for (std::size_t r = 0; r < out.rows; ++r) {
        cache->read(out.examples[r], scratch);
        std::copy(scratch.begin(), scratch.end(), out.ids.begin() + r * out.columns);
        const std::size_t firstLabel = options.responseOnly
            ? options.responseOnly->responseStart(scratch.data(), scratch.size())
            : 0;
        std::copy(scratch.begin() + static_cast<std::ptrdiff_t>(firstLabel), scratch.end(),
            out.labels.begin() + static_cast<std::ptrdiff_t>(r * out.columns + firstLabel));
    }
}

Batcher::Batcher(const TokenCache &cache, BatchOptions options) : d(std::make_unique<Impl>())
{
    if (options.batchSize == 0 && options.tokenBudget == 0)
        throw Error("batcher: a batch size or a token budget is needed");
    if (options.bucketBatches == 0)
        throw Error("batcher: bucketBatches must be at least 1");
    d->cache = &cache;
    d->options = options;
    d->lengths.resize(cache.size());
    std::uint64_t tokens = 0;
    for (std::size_t i = 0; i < cache.size(); ++i) {
        d->lengths[i] = static_cast<std::uint32_t>(cache.length(i));
        tokens += d->lengths[i];
        if (d->lengths[i] > 0)
            d->nonEmpty.push_back(i);
    }
    // Without a fixed size, a chunk holds about bucketBatches budget-sized batches of the
    // average example.
    std::size_t rowsPerBatch = options.batchSize;
    if (options.tokenBudget > 0 && !d->nonEmpty.empty()) {
        const std::uint64_t mean = std::max<std::uint64_t>(1, tokens / d->nonEmpty.size());
        const std::size_t fit = std::max<std::size_t>(1, options.tokenBudget / mean);
        rowsPerBatch = rowsPerBatch ? std::min(rowsPerBatch, fit) : fit;
    }
    d->chunkSize = options.bucketBatches * rowsPerBatch;
}

Batcher::~Batcher() = default;
Batcher::Batcher(Batcher &&) noexcept = default;
Batcher &Batcher::operator=(Batcher &&) noexcept = default;

const BatchOptions &Batcher::options() const
{
    return d->options;
}

std::size_t Batcher::exampleCount() const
{
    return d->nonEmpty.size();
}

std::size_t Batcher::batchCount(std::uint64_t epoch)
{
    return d->planFor(epoch).batchCount();
}

Batch Batcher::batch(BatchPosition position)
{
    const Plan &p = d->planFor(position.epoch);
    if (position.batch >= p.batchCount())
        throw Error("batcher: epoch " + std::to_string(position.epoch) + " has "
            + std::to_string(p.batchCount()) + " batches, no batch "
            + std::to_string(position.batch));
    Batch out;
    d->fill(p, position.batch, out);
    return out;
}

void Batcher::seek(BatchPosition position)
{
    const std::size_t count = batchCount(position.epoch);
    if (position.batch > count)
        throw Error("batcher: cannot resume at batch " + std::to_string(position.batch)
            + " of epoch " + std::to_string(position.epoch) + ", which has "
            + std::to_string(count));
    d->position = position;
}

BatchPosition Batcher::position() const
{
    return d->position;
}

bool Batcher::next(Batch &out)
{
    const Plan &p = d->planFor(d->position.epoch);
    if (d->position.batch >= p.batchCount())
        return false;
    d->fill(p, d->position.batch, out);
    ++d->position.batch;
    return true;
}

} // namespace chatbench
