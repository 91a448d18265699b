#pragma once
// Training batches from a token cache. Examples of similar length go together so little of a
// batch is padding: each epoch shuffles the examples, cuts them into mega-chunks of
// bucketBatches * batchSize, sorts each chunk by length, cuts it into batches, and shuffles
// the batches. Everything derives from (seed, epoch) alone, so the batches of an epoch are the
// same on every run and machine, and a run resumed at a position sees exactly the batches the
// interrupted run would have seen. Torch-free: a batch is plain vectors.

#include "chatbench/dialogue_layout.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace chatbench {

class TokenCache;

struct BatchOptions
{
    // Rows per batch; with a token budget, the most rows a batch may have (0: no limit).
    std::size_t batchSize = 8;
    // When > 0, rows * columns (padding included) stays within this many tokens, so short
    // examples travel in larger batches. An example longer than the budget gets a batch alone.
    std::size_t tokenBudget = 0;
    // Examples sorted together, in batches: larger means less padding but a batch order less
    // random in length.
    std::size_t bucketBatches = 100;
    // false: examples in cache order, chunks still sorted by length, batches in chunk order;
    // every epoch is then the same (for validation).
    bool shuffle = true;
    std::uint64_t seed = 42;
    std::int32_t padId = 0; // [PAD] in a BERT vocabulary
    std::int32_t ignoreLabel = -100; // what the loss skips
    // When set: CDial-GPT's response-only loss. Labels before the final utterance (before
    // DialogueLayout::responseStart of the examples' layout) are ignoreLabel, so only the final
    // response is learned.
    std::optional<DialogueLayout> responseOnly;
};

// Where a run is: the next batch to train on is batch `batch` of epoch `epoch`. A position
// with batch == batchCount(epoch) means the epoch is done.
struct BatchPosition
{
    std::uint64_t epoch = 0;
    std::size_t batch = 0;

    bool operator==(const BatchPosition &o) const { return epoch == o.epoch && batch == o.batch; }
    bool operator!=(const BatchPosition &o) const { return !(*this == o); }
};

// rows x columns, row-major, each row one example padded on the right to the batch's longest.
struct Batch
{
    BatchPosition position;
    std::size_t rows = 0, columns = 0;
    std::vector<std::int32_t> ids; // padId after each example's end
    // The ids themselves, ignoreLabel on padding: as GPT2-chitchat, the model shifts them.
    std::vector<std::int32_t> labels;
    std::vector<std::int32_t> lengths; // tokens per row, before padding
    std::vector<std::size_t> examples; // the cache index of each row

    std::size_t tokens() const; // the sum of lengths: tokens that are not padding
};

class Batcher
{
public:
    // The cache must outlive the batcher. Examples with no tokens are left out: nothing to
    // learn from. Throws chatbench::Error for options that cannot make a batch.
    Batcher(const TokenCache &cache, BatchOptions options = {});
    ~Batcher();
    Batcher(Batcher &&) noexcept;
    Batcher &operator=(Batcher &&) noexcept;

    const BatchOptions &options() const;
    std::size_t exampleCount() const; // examples in every epoch (the non-empty ones)

    // With a token budget the count can differ between epochs; without, it is
    // ceil(exampleCount / batchSize) for every epoch. Plans the epoch (a shuffle and a sort,
    // milliseconds for 500K examples); the latest epoch's plan is kept.
    std::size_t batchCount(std::uint64_t epoch);

    // Random access; throws chatbench::Error when the position holds no batch.
    Batch batch(BatchPosition position);

    // Sequential access, for a training loop: seek where the run stands (a new run at {0, 0},
    // a resumed one where its checkpoint says), then take batches until next() returns false
    // at the end of the epoch. position() is what a checkpoint stores. seek() throws
    // chatbench::Error past the end of the epoch.
    void seek(BatchPosition position);
    BatchPosition position() const;
    bool next(Batch &out);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace chatbench
