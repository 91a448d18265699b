#pragma once
// Corpus in, training-ready tokens out: read (corpus_reader.h), normalise (text_normalizer.h),
// encode as GPT2-chitchat does ([CLS] u1 [SEP] u2 [SEP] ..., cut at maxLen) or in CDial-GPT's
// layout (dialogue_layout.h), split off a
// validation set, and write OUT/train.tokens and OUT/valid.tokens (token_cache.h) plus
// OUT/stats.json, each atomically. Tokenization runs on all cores, in file order.
//
// The caches are keyed by a hash of the corpus bytes, the tokenizer and these options: when
// OUT already holds caches with the same key, nothing is recomputed (cacheHit).

#include "chatbench/corpus_reader.h"
#include "chatbench/dialogue_layout.h"
#include "chatbench/text_normalizer.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace chatbench {

class Tokenizer;

struct PrepareOptions
{
    CorpusReadOptions read;
    NormalizeOptions normalize;
    int maxLen = 150; // GPT2-chitchat's max_len
    DialogueLayout::Kind layout = DialogueLayout::Kind::Chitchat;
    // Held-out dialogues: validCount when > 0, else round(validFraction * dialogues). Chosen
    // by seed, so the same options always hold out the same dialogues.
    std::uint64_t validCount = 0;
    double validFraction = 0.0;
    std::uint64_t seed = 42;
    int threads = 0; // 0: all cores
    bool reuseCache = true;
};

struct PreparedCorpus
{
    std::filesystem::path trainFile, validFile, statsFile;
    bool cacheHit = false;
    std::uint64_t key = 0;
    std::uint64_t trainExamples = 0, validExamples = 0;
    // The statistics object also written to stats.json: dialogues, utterances, tokens, UNK
    // rate, length histograms before and after truncation, truncated and rejected items with
    // their reasons and first locations.
    std::string statsJson;
};

// Throws chatbench::Error for a fatal problem (unreadable or empty corpus, LCCC syntax error,
// no usable dialogue, a validation set as large as the corpus, a failed write); no partial
// cache file is left behind.
PreparedCorpus prepareCorpus(const std::filesystem::path &corpus, const Tokenizer &tokenizer,
    const std::filesystem::path &outDir, const PrepareOptions &options = {});

} // namespace chatbench
