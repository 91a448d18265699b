// Batching a token cache: determinism per (seed, epoch), coverage, padding, resuming, buckets.

#include "chatbench/error.h"
#include "chatbench/token_cache.h"
#include "common/fixture.h"
#include "data/batcher.h"
#include "tokenize/wordpiece_tokenizer.h"

#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <map>

using namespace chatbench;
namespace fs = std::filesystem;

namespace {

// Example i has length lengthOf(i) and ids 1000 + i, 1, 2, ...: each row tells which example
// it came from and whether its tokens arrived in order.
std::size_t lengthOf(std::size_t i)
{
    return 2 + (i * 7919) % 60;
}

fs::path writeCache(const QTemporaryDir &dir, std::size_t n, bool withEmpty = false)
{
    std::vector<std::uint64_t> offsets { 0 };
    std::vector<std::int32_t> ids;
    for (std::size_t i = 0; i < n; ++i) {
        if (!(withEmpty && i % 10 == 3)) {
            ids.push_back(static_cast<std::int32_t>(1000 + i));
            for (std::size_t t = 1; t < lengthOf(i); ++t)
                ids.push_back(static_cast<std::int32_t>(t));
        }
        offsets.push_back(ids.size());
    }
    const fs::path file = fs::path(dir.path().toStdString()) / "train.tokens";
    writeTokenCache(file, 1, 21128, offsets, ids);
    return file;
}

std::vector<Batch> epoch(Batcher &batcher, std::uint64_t e, std::size_t from = 0)
{
    batcher.seek({ e, from });
    std::vector<Batch> out;
    Batch b;
    while (batcher.next(b))
        out.push_back(b);
    return out;
}

std::vector<std::vector<std::size_t>> rowsOf(const std::vector<Batch> &batches)
{
    std::vector<std::vector<std::size_t>> out;
    for (const auto &b : batches)
        out.push_back(b.examples);
    return out;
}

} // namespace

class TestBatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameSeedAndEpochGiveSameBatches()
    {
        QTemporaryDir dir;
        const auto cache = TokenCache::open(writeCache(dir, 1000));
        BatchOptions o;
        o.batchSize = 8;
        o.bucketBatches = 10;
        Batcher a(cache, o), b(cache, o);
        const auto first = epoch(a, 3);
        // b plans other epochs first: a plan depends on (seed, epoch) only, not on history.
        epoch(b, 0);
        epoch(b, 7);
        const auto again = epoch(b, 3);
        QCOMPARE(rowsOf(again), rowsOf(first));
        QCOMPARE(again.size(), std::size_t(125));
        QCOMPARE(a.batchCount(3), std::size_t(125));
        for (std::size_t i = 0; i < first.size(); ++i)
            QCOMPARE(again[i].ids, first[i].ids);
    }

    void differentEpochsAndSeedsDiffer()
    {
        QTemporaryDir dir;
        const auto cache = TokenCache::open(writeCache(dir, 1000));
        BatchOptions o;
        o.bucketBatches = 10;
        Batcher a(cache, o);
        const auto e0 = rowsOf(epoch(a, 0)), e1 = rowsOf(epoch(a, 1));
        QVERIFY(e0 != e1);
        o.seed = 43;
        Batcher b(cache, o);
        QVERIFY(rowsOf(epoch(b, 0)) != e0);
    }

    void everyExampleExactlyOncePerEpoch()
    {
        QTemporaryDir dir;
        const auto cache = TokenCache::open(writeCache(dir, 1003, /*withEmpty=*/true));
        for (std::size_t budget : { std::size_t(0), std::size_t(300) }) {
            BatchOptions o;
            o.batchSize = 8;
            o.tokenBudget = budget;
            o.bucketBatches = 10;
            Batcher batcher(cache, o);
            QCOMPARE(batcher.exampleCount(), std::size_t(1003 - 100));
            for (std::uint64_t e : { 0, 1, 2 }) {
                std::vector<int> seen(1003, 0);
                for (const auto &b : epoch(batcher, e))
                    for (std::size_t x : b.examples)
                        ++seen[x];
                for (std::size_t i = 0; i < seen.size(); ++i)
                    QCOMPARE(seen[i], i % 10 == 3 ? 0 : 1); // empty examples are left out
            }
        }
    }

    void rowsArePaddedAndLabelled()
    {
        QTemporaryDir dir;
        const auto cache = TokenCache::open(writeCache(dir, 300));
        BatchOptions o;
        o.batchSize = 5;
        o.bucketBatches = 4;
        Batcher batcher(cache, o);
        std::size_t paddedRows = 0;
        for (const auto &b : epoch(batcher, 0)) {
            QCOMPARE(b.ids.size(), b.rows * b.columns);
            QCOMPARE(b.labels.size(), b.rows * b.columns);
            QCOMPARE(b.lengths.size(), b.rows);
            std::size_t widest = 0;
            for (std::size_t r = 0; r < b.rows; ++r) {
                const std::size_t example = b.examples[r], len = std::size_t(b.lengths[r]);
                QCOMPARE(len, lengthOf(example));
                widest = std::max(widest, len);
                const auto row = b.ids.begin() + std::ptrdiff_t(r * b.columns);
                const auto labels = b.labels.begin() + std::ptrdiff_t(r * b.columns);
                QCOMPARE(std::vector<std::int32_t>(row, row + std::ptrdiff_t(len)), cache[example]);
                QVERIFY(std::equal(row, row + std::ptrdiff_t(len), labels));
                for (std::size_t c = len; c < b.columns; ++c) {
                    QCOMPARE(row[std::ptrdiff_t(c)], 0);
                    QCOMPARE(labels[std::ptrdiff_t(c)], -100);
                }
                paddedRows += len < b.columns;
            }
            QCOMPARE(b.columns, widest);
        }
        QVERIFY(paddedRows > 0); // lengths vary, so padding was exercised

        o.padId = 7;
        o.ignoreLabel = -1;
        Batcher other(cache, o);
        const Batch b = other.batch({ 0, 0 });
        for (std::size_t r = 0; r < b.rows; ++r)
            for (std::size_t c = std::size_t(b.lengths[r]); c < b.columns; ++c) {
                QCOMPARE(b.ids[r * b.columns + c], 7);
                QCOMPARE(b.labels[r * b.columns + c], -1);
            }
    }

    void responseOnlyLabelsMaskTheContext()
    {
        QTemporaryDir dir;
        // [CLS] a [SEP] b b [SEP] c c c [SEP]; and a one-utterance example [CLS] d [SEP].
        const std::vector<std::int32_t> ids { 101, 5, 102, 6, 6, 102, 7, 7, 7, 102, 101, 8, 102 };
        const fs::path file = fs::path(dir.path().toStdString()) / "r.tokens";
        writeTokenCache(file, 1, 200, { 0, 10, 13 }, ids);
        TokenCache cache = TokenCache::open(file);
        BatchOptions o;
        o.batchSize = 2;
        o.shuffle = false;
        const auto tokenizer = WordPieceTokenizer::load(test::tinyGpt2Dir());
        o.responseOnly = DialogueLayout(DialogueLayout::Kind::Chitchat, *tokenizer);
        Batcher batcher(cache, o);
        Batch b = batcher.batch({ 0, 0 });
        for (std::size_t r = 0; r < b.rows; ++r) {
            std::vector<std::int32_t> labels(b.labels.begin() + std::ptrdiff_t(r * b.columns),
                b.labels.begin() + std::ptrdiff_t((r + 1) * b.columns));
            if (b.examples[r] == 0)
                QCOMPARE(labels,
                    (std::vector<std::int32_t> {
                        -100, -100, -100, -100, -100, -100, 7, 7, 7, 102 }));
            else
                QCOMPARE(labels,
                    (std::vector<std::int32_t> {
                        101, 8, 102, -100, -100, -100, -100, -100, -100, -100 }));
        }
    }

    void cdialResponseOnlyLabelsStartAfterTheLastSpeaker()
    {
        QTemporaryDir dir;
        // The fixture vocabulary has no [speaker1]/[speaker2]: [unused1]=1 and [unused2]=2.
        // [CLS] s1 a s2 b b s1 c c [SEP]; and [CLS] s1 d [SEP] (its history was cut away).
        const std::vector<std::int32_t> ids { 101, 1, 5, 2, 6, 6, 1, 7, 7, 102, 101, 1, 8, 102 };
        const fs::path file = fs::path(dir.path().toStdString()) / "c.tokens";
        writeTokenCache(file, 1, 200, { 0, 10, 14 }, ids);
        TokenCache cache = TokenCache::open(file);
        BatchOptions o;
        o.batchSize = 2;
        o.shuffle = false;
        const auto tokenizer = WordPieceTokenizer::load(test::tinyGpt2Dir());
        o.responseOnly = DialogueLayout(DialogueLayout::Kind::CDial, *tokenizer);
        Batch b = Batcher(cache, o).batch({ 0, 0 });
        const std::int32_t x = -100;
        for (std::size_t r = 0; r < b.rows; ++r) {
            std::vector<std::int32_t> labels(b.labels.begin() + std::ptrdiff_t(r * b.columns),
                b.labels.begin() + std::ptrdiff_t((r + 1) * b.columns));
            if (b.examples[r] == 0)
                QCOMPARE(labels, (std::vector<std::int32_t> { x, x, x, x, x, x, x, 7, 7, 102 }));
            else
                QCOMPARE(labels, (std::vector<std::int32_t> { x, x, 8, 102, x, x, x, x, x, x }));
        }
    }

    void resumingGivesTheRemainingBatches()
    {
        QTemporaryDir dir;
        const auto cache = TokenCache::open(writeCache(dir, 777));
        BatchOptions o;
        o.batchSize = 6;
        o.bucketBatches = 5;
        o.seed = 9;
        Batcher run(cache, o);
        const auto full = epoch(run, 2);
        for (std::size_t k : { std::size_t(0), std::size_t(1), std::size_t(57), full.size() }) {
            Batcher resumed(cache, o); // a fresh process, as after a restart
            const auto rest = epoch(resumed, 2, k);
            QCOMPARE(rest.size(), full.size() - k);
            for (std::size_t i = 0; i < rest.size(); ++i) {
                QCOMPARE(rest[i].examples, full[k + i].examples);
                QCOMPARE(rest[i].ids, full[k + i].ids);
                QCOMPARE(rest[i].position, (BatchPosition { 2, k + i }));
            }
            QCOMPARE(resumed.position(), (BatchPosition { 2, full.size() }));
        }
        Batcher resumed(cache, o);
        QCOMPARE(resumed.batch({ 2, 40 }).examples, full[40].examples);
        QVERIFY_THROWS_EXCEPTION(Error, resumed.seek({ 2, full.size() + 1 }));
        QVERIFY_THROWS_EXCEPTION(Error, resumed.batch({ 2, full.size() }));
    }

    void bucketingCutsPadding()
    {
        QTemporaryDir dir;
        const auto cache = TokenCache::open(writeCache(dir, 2000));
        auto padding = [&](std::size_t bucketBatches) {
            BatchOptions o;
            o.batchSize = 8;
            o.bucketBatches = bucketBatches;
            Batcher batcher(cache, o);
            std::size_t pads = 0;
            for (const auto &b : epoch(batcher, 0))
                pads += b.rows * b.columns - b.tokens();
            return pads;
        };
        // One batch per chunk is no bucketing at all.
        QVERIFY2(padding(100) * 5 < padding(1),
            qPrintable(QString("%1 vs %2").arg(padding(100)).arg(padding(1))));
    }

    void tokenBudgetBoundsBatches()
    {
        QTemporaryDir dir;
        const auto cache = TokenCache::open(writeCache(dir, 1000));
        BatchOptions o;
        o.batchSize = 0;
        o.tokenBudget = 256;
        Batcher batcher(cache, o);
        std::map<std::size_t, std::size_t> rowsByWidth;
        for (const auto &b : epoch(batcher, 0)) {
            QVERIFY(b.rows * b.columns <= 256);
            rowsByWidth[b.columns] = std::max(rowsByWidth[b.columns], b.rows);
        }
        QVERIFY(rowsByWidth.begin()->second > rowsByWidth.rbegin()->second);
        // Counts may differ between epochs but each is stable.
        QCOMPARE(batcher.batchCount(5), epoch(batcher, 5).size());

        o.tokenBudget = 10; // shorter than most examples: each goes alone
        Batcher tight(cache, o);
        const auto batches = epoch(tight, 0);
        QVERIFY(std::all_of(batches.begin(), batches.end(),
            [](const Batch &b) { return b.rows == 1 || b.rows * b.columns <= 10; }));
        QVERIFY(std::any_of(
            batches.begin(), batches.end(), [](const Batch &b) { return b.columns > 10; }));
    }

    void unshuffledIsTheSameEveryEpoch()
    {
        QTemporaryDir dir;
        const auto cache = TokenCache::open(writeCache(dir, 100));
        BatchOptions o;
        o.shuffle = false;
        o.batchSize = 10;
        Batcher batcher(cache, o);
        QCOMPARE(rowsOf(epoch(batcher, 0)), rowsOf(epoch(batcher, 1)));
    }

    void badOptionsAreRejected()
    {
        QTemporaryDir dir;
        const auto cache = TokenCache::open(writeCache(dir, 10));
        BatchOptions o;
        o.batchSize = 0;
        QVERIFY_THROWS_EXCEPTION(Error, Batcher(cache, o));
        o.batchSize = 4;
        o.bucketBatches = 0;
        QVERIFY_THROWS_EXCEPTION(Error, Batcher(cache, o));
    }
};

QTEST_GUILESS_MAIN(TestBatcher)
#include "test_batcher.moc"
