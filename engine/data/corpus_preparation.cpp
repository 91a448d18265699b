#include "chatbench/corpus_preparation.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "chatbench/token_cache.h"
#include "chatbench/tokenizer.h"
#include "data/content_hash.h"
#include "data/dialogue_encoder.h"
#include "data/length_histogram.h"
#include "data/ordered_workers.h"
#include "io/mapped_file.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

namespace chatbench {
namespace {

constexpr std::uint64_t kPipelineVersion = 1; // bump when the encoding of a dialogue changes
constexpr std::size_t kChunkDialogues = 2048;

struct Chunk
{
    std::vector<Dialogue> dialogues;
};

// One chunk's share of the work, merged in file order.
struct Encoded
{
    std::vector<std::int32_t> ids;
    std::vector<std::uint64_t> lengths; // per example, after truncation
    std::uint64_t utterances = 0, tokens = 0, unkTokens = 0;
    LengthHistogram before, after;
    ProblemLog problems;
};

std::uint64_t cacheKey(
    const std::filesystem::path &corpus, const Tokenizer &tokenizer, const PrepareOptions &o)
{
    ContentHash h;
    h.update(kPipelineVersion);
    h.update(MappedFile(corpus, /*sequential=*/true).bytes());
    h.update(tokenizer.kind());
    for (std::int32_t id = 0; id < tokenizer.vocabSize(); ++id)
        h.update(tokenizer.idToToken(id));
    // Settings beyond the vocabulary (lower-casing, accents) show in how a probe encodes.
    for (auto id : tokenizer.encode("AbÇ ＡＢ 你好 [UNK] hello", true))
        h.update(static_cast<std::uint64_t>(id));
    // A tokenizer that does not NFC-normalize (BertTokenizerFast without lowercasing) encodes a
    // decomposed accent and a compatibility ideograph unlike their NFC forms. Only then does
    // this probe enter the key, so the caches of every NFC-normalizing tokenizer stay valid.
    const auto typed = tokenizer.encode("Cafe\xCC\x81 \xEF\xA4\x80", false);
    if (typed != tokenizer.encode("Caf\xC3\xA9 \xE8\xB1\x88", false))
        for (auto id : typed)
            h.update(static_cast<std::uint64_t>(id));
    const auto &r = o.read;
    h.update(corpusFormatName(r.format));
    h.update(r.maxLineBytes);
    h.update(r.joinSpacedCjk ? 1 + *r.joinSpacedCjk : 0);
    h.update(r.lcccSplit);
    h.update(o.normalize.cleanWhitespace * 2 + o.normalize.foldFullWidth);
    h.update(o.normalize.convert);
    h.update(static_cast<std::uint64_t>(o.maxLen));
    // Only a non-default layout enters the key, so existing chitchat caches stay valid.
    if (o.layout != DialogueLayout::Kind::Chitchat)
        h.update(DialogueLayout::kindName(o.layout));
    h.update(o.validCount);
    h.update(std::to_string(o.validFraction));
    h.update(o.seed);
    return h.digest();
}

std::string hex(std::uint64_t v)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

void encodeChunk(const Chunk &chunk, const TextNormalizer &normalizer,
    const DialogueEncoder &encoder, std::size_t maxLen, Encoded &out)
{
    std::vector<std::string> texts;
    for (const auto &d : chunk.dialogues)
        texts.insert(texts.end(), d.utterances.begin(), d.utterances.end());
    normalizer.normalizeEach(texts);
    auto next = texts.begin();
    std::vector<std::string> utterances;
    std::vector<std::vector<std::int32_t>> pieces;
    for (const auto &d : chunk.dialogues) {
        utterances.clear();
        for (std::size_t i = 0; i < d.utterances.size(); ++i) {
            std::string text = std::move(*next++);
            if (text.empty()) {
                out.problems.add(
                    CorpusProblem::EmptyUtterance, d.where, "utterance " + std::to_string(i + 1));
                continue;
            }
            utterances.push_back(std::move(text));
        }
        if (utterances.size() < 2) {
            out.problems.add(CorpusProblem::SingleUtterance, d.where,
                std::to_string(utterances.size()) + " usable utterance(s)");
            continue;
        }
        const std::size_t start = out.ids.size();
        const std::size_t length = encoder.encode(utterances, out.ids, out.unkTokens, pieces);
        if (length > maxLen)
            out.problems.add(CorpusProblem::Truncated, d.where, std::to_string(length) + " tokens");
        out.utterances += utterances.size();
        out.tokens += length;
        out.before.add(length);
        out.after.add(out.ids.size() - start);
        out.lengths.push_back(out.ids.size() - start);
    }
}

// Fisher-Yates over the first `count` positions with splitmix64: the same on every platform
// and standard library, unlike std::shuffle.
std::vector<bool> chooseValidation(std::size_t n, std::size_t count, std::uint64_t seed)
{
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i)
        order[i] = i;
    std::uint64_t state = seed;
    auto next = [&state] {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    };
    std::vector<bool> valid(n, false);
    for (std::size_t i = 0; i < count; ++i) {
        std::swap(order[i], order[i + next() % (n - i)]);
        valid[order[i]] = true;
    }
    return valid;
}

nlohmann::json problemsJson(const ProblemLog &log)
{
    nlohmann::json out = nlohmann::json::object();
    for (std::size_t i = 0; i < kCorpusProblemCount; ++i) {
        const auto p = static_cast<CorpusProblem>(i);
        if (log.count(p) == 0)
            continue;
        nlohmann::json examples = nlohmann::json::array();
        for (const auto &e : log.examples(p))
            examples.push_back({ { "at", e.where.toString() }, { "detail", e.detail } });
        out[corpusProblemName(p)] = { { "count", log.count(p) },
            { "action",
                corpusProblemRejects(p)
                    ? "rejected"
                    : (p == CorpusProblem::Truncated ? "truncated" : "repaired") },
            { "examples", examples } };
    }
    return out;
}

std::optional<PreparedCorpus> reuse(PreparedCorpus prepared)
{
    std::error_code ec;
    if (!std::filesystem::exists(prepared.statsFile, ec))
        return std::nullopt;
    try {
        auto stats = nlohmann::json::parse(readSmallFile(prepared.statsFile));
        if (stats.value("key", "") != hex(prepared.key))
            return std::nullopt;
        auto train = TokenCache::open(prepared.trainFile);
        auto valid = TokenCache::open(prepared.validFile);
        if (train.key() != prepared.key || valid.key() != prepared.key)
            return std::nullopt;
        prepared.cacheHit = true;
        prepared.trainExamples = train.size();
        prepared.validExamples = valid.size();
        stats["cache_hit"] = true;
        prepared.statsJson = stats.dump();
        return prepared;
    } catch (const std::exception &) {
        return std::nullopt; // anything unreadable is simply rebuilt
    }
}

} // namespace

PreparedCorpus prepareCorpus(const std::filesystem::path &corpus, const Tokenizer &tokenizer,
    const std::filesystem::path &outDir, const PrepareOptions &options)
{
    const auto started = std::chrono::steady_clock::now();
    PreparedCorpus prepared;
    prepared.trainFile = outDir / "train.tokens";
    prepared.validFile = outDir / "valid.tokens";
    prepared.statsFile = outDir / "stats.json";
    prepared.key = cacheKey(corpus, tokenizer, options);
    if (options.reuseCache)
        if (auto hit = reuse(prepared))
            return *hit;

    const TextNormalizer normalizer(options.normalize);
    const DialogueEncoder encoder(tokenizer, options.maxLen, options.layout);
    const auto maxLen = static_cast<std::size_t>(options.maxLen);

    OrderedWorkers<Chunk, Encoded> workers(options.threads, [&](const Chunk &chunk, Encoded &out) {
        encodeChunk(chunk, normalizer, encoder, maxLen, out);
    });
    Chunk chunk;
    const CorpusReadSummary summary = readCorpus(corpus, options.read, [&](Dialogue &&d) {
        chunk.dialogues.push_back(std::move(d));
        if (chunk.dialogues.size() == kChunkDialogues)
            workers.submit(std::exchange(chunk, {}));
    });
    if (!chunk.dialogues.empty())
        workers.submit(std::move(chunk));

    std::vector<std::int32_t> ids;
    std::vector<std::uint64_t> lengths;
    Encoded total;
    ProblemLog problems = summary.problems;
    workers.finish([&](Encoded &&e) {
        ids.insert(ids.end(), e.ids.begin(), e.ids.end());
        lengths.insert(lengths.end(), e.lengths.begin(), e.lengths.end());
        total.utterances += e.utterances;
        total.tokens += e.tokens;
        total.unkTokens += e.unkTokens;
        total.before.merge(e.before);
        total.after.merge(e.after);
        problems.merge(e.problems);
    });

    const std::size_t n = lengths.size();
    if (n == 0)
        throw Error::inFile(corpus,
            "no usable dialogue (" + std::to_string(summary.dialogues)
                + " read, every one rejected)");
    const std::size_t validCount = options.validCount > 0
        ? options.validCount
        : static_cast<std::size_t>(std::llround(options.validFraction * static_cast<double>(n)));
    if (validCount >= n)
        throw Error::inFile(corpus,
            "a validation set of " + std::to_string(validCount) + " leaves no training data ("
                + std::to_string(n) + " dialogues)");
    const auto isValid = chooseValidation(n, validCount, options.seed);

    std::vector<std::uint64_t> trainOffsets { 0 }, validOffsets { 0 };
    std::vector<std::int32_t> trainIds, validIds;
    trainIds.reserve(ids.size());
    std::uint64_t pos = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto &dst = isValid[i] ? validIds : trainIds;
        dst.insert(dst.end(), ids.begin() + pos, ids.begin() + pos + lengths[i]);
        (isValid[i] ? validOffsets : trainOffsets).push_back(dst.size());
        pos += lengths[i];
    }
    std::vector<std::int32_t>().swap(ids);

    std::filesystem::create_directories(outDir);
    writeTokenCache(
        prepared.trainFile, prepared.key, tokenizer.vocabSize(), trainOffsets, trainIds);
    writeTokenCache(
        prepared.validFile, prepared.key, tokenizer.vocabSize(), validOffsets, validIds);
    prepared.trainExamples = trainOffsets.size() - 1;
    prepared.validExamples = validOffsets.size() - 1;

    std::uint64_t rejected = 0;
    for (std::size_t i = 0; i < kCorpusProblemCount; ++i)
        if (corpusProblemRejects(static_cast<CorpusProblem>(i)))
            rejected += problems.count(static_cast<CorpusProblem>(i));
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::uint64_t kept = trainIds.size() + validIds.size();
    nlohmann::json stats = {
        { "corpus", corpus.string() }, { "format", corpusFormatName(summary.format) },
        { "bytes", summary.bytes }, { "key", hex(prepared.key) }, { "cache_hit", false },
        { "dialogues_read", summary.dialogues }, { "dialogues", n }, { "rejected", rejected },
        { "utterances", total.utterances }, { "tokens", total.tokens }, { "tokens_kept", kept },
        { "unk_tokens", total.unkTokens },
        { "unk_rate", total.tokens ? double(total.unkTokens) / double(total.tokens) : 0.0 },
        { "max_len", options.maxLen }, { "layout", DialogueLayout::kindName(options.layout) },
        { "speaker_tokens", encoder.layout().speakerTokens() },
        { "truncated", problems.count(CorpusProblem::Truncated) },
        { "train", prepared.trainExamples }, { "valid", prepared.validExamples },
        { "seed", options.seed }, { "convert", options.normalize.convert },
        { "length_histogram",
            { { "bin_width", LengthHistogram::kBinWidth }, { "before", total.before.counts() },
                { "after", total.after.counts() } } },
        { "problems", problemsJson(problems) }, { "seconds", seconds },
        { "mb_per_s", seconds > 0 ? double(summary.bytes) / 1e6 / seconds : 0.0 },
        { "files",
            { { "train", prepared.trainFile.string() }, { "valid", prepared.validFile.string() } } }
    };
    prepared.statsJson = stats.dump();
    // Last, so a stats.json with this key vouches for both caches.
    writeFileAtomically(prepared.statsFile, stats.dump(2) + "\n");
    return prepared;
}

} // namespace chatbench
