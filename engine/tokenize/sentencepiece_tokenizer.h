#pragma once
// SentencePiece models (unigram or BPE .model files, as T5, ALBERT, XLNet, Llama and ChatBench's
// own trainer write them) behind the common Tokenizer interface, and training such a model.
//
// libsentencepiece cannot share a link namespace with libtorch (ARCHITECTURE.md, "protobuf
// clash"), so every call goes through libchatbench_spm_shim, loaded once per process with
// dlmopen(LM_ID_NEWLM). The shim is looked for, in order: $CHATBENCH_SPM_SHIM (a file or a
// folder; when set, nothing else is tried); the running executable's folder, its ../lib,
// ../lib/chatbench and ../<install libdir>/chatbench; the install libdir/chatbench; the build
// tree. Without it every constructor and trainSentencePiece throw chatbench::Error
// "SentencePiece support unavailable: ...; looked in: ...".
//
// Special ids: unk, bos, eos and pad are the model's own. cls = bos and sep = eos, so a
// GPT2-chitchat style sample is [bos] u1 [eos] u2 [eos] ...; models without bos/eos fall back to
// pieces literally named [CLS]/[SEP] (ALBERT), mask to [MASK] or <mask>.

#include "chatbench/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

class SentencePieceTokenizer final : public Tokenizer
{
public:
    // Throws chatbench::Error naming the file when it is missing or not a SentencePiece model.
    explicit SentencePieceTokenizer(const std::filesystem::path &modelFile);
    ~SentencePieceTokenizer() override;
    SentencePieceTokenizer(const SentencePieceTokenizer &) = delete;
    SentencePieceTokenizer &operator=(const SentencePieceTokenizer &) = delete;

    std::string kind() const override { return "sentencepiece"; }

    // Pieces as SentencePiece writes them ("▁" marks a word start); an unknown character comes
    // back as its own text, as in Hugging Face's SentencePiece tokenizers.
    std::vector<std::string> tokenize(std::string_view utf8) const override;
    // With addSpecialTokens: [bos] ids [eos], each only when the model has it.
    std::vector<std::int32_t> encode(
        std::string_view utf8, bool addSpecialTokens = true) const override;
    // Control pieces (bos, eos, pad) are dropped when skipped and written as their piece text
    // ("<s>") otherwise; unk decodes to " ⁇ " as SentencePiece does. Throws for an id out of
    // range.
    std::string decode(
        const std::vector<std::int32_t> &ids, bool skipSpecialTokens = true) const override;

    std::int32_t tokenToId(std::string_view token) const override;
    std::string idToToken(std::int32_t id) const override;
    std::int32_t vocabSize() const override;
    const SpecialTokenIds &specialIds() const override;

    // Writes DIR/spiece.model (the name HF's T5/ALBERT/XLNet tokenizers use) and
    // DIR/tokenizer_config.json, each atomically; creates DIR if needed.
    void save(const std::filesystem::path &dir) const override;

    const std::filesystem::path &modelFile() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Whether the shim can be loaded in this process; whyNot gets the same text the
// "SentencePiece support unavailable" error would carry.
bool sentencePieceAvailable(std::string *whyNot = nullptr);

struct SentencePieceTrainOptions
{
    std::int32_t vocabSize = 8000;
    std::string modelType = "unigram"; // "unigram" or "bpe" ("char", "word" also accepted)
    // 0.9995 suits CJK (rare characters become unk instead of eating the vocabulary); use 1.0
    // for languages with small alphabets. SentencePiece refuses values below 0.98.
    double characterCoverage = 0.9995;
    // Pieces that must stay whole and are produced from text (e.g. "[SPEAKER1]").
    std::vector<std::string> userDefinedSymbols;
    // Any other spm_train flag without "--", overriding ChatBench's defaults, e.g.
    // {"input_sentence_size", "2000000"}, {"shuffle_input_sentence", "true"},
    // {"byte_fallback", "true"}, {"hard_vocab_limit", "false"}, {"minloglevel", "0"}.
    std::map<std::string, std::string> extra;
};

// Trains on the non-empty lines of inputFiles (UTF-8, one sentence or utterance per line).
// output: an existing folder -> FOLDER/spiece.model; a path ending in ".model" -> that file;
// anything else is a prefix, spm_train style -> PREFIX.model. The file appears atomically
// (a reader never sees a partial model). Returns the written path.
// Defaults: pad 0, unk 1, bos 2, eos 3 (ALBERT's layout: pad 0 like the GPT2-chitchat
// pipeline, bos/eos serving as cls/sep), one thread per core, warnings-only logging.
// Throws chatbench::Error with SentencePiece's message (e.g. vocabulary too large for the text).
std::filesystem::path trainSentencePiece(const std::vector<std::filesystem::path> &inputFiles,
    const std::filesystem::path &output, const SentencePieceTrainOptions &options = {});
// The same with the common options spelled out.
std::filesystem::path trainSentencePiece(const std::vector<std::filesystem::path> &inputFiles,
    const std::filesystem::path &output, std::int32_t vocabSize,
    const std::string &modelType = "unigram", double characterCoverage = 0.9995,
    const std::map<std::string, std::string> &extra = {});

} // namespace chatbench
