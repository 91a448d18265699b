#pragma once
// BERT WordPiece, token for token what transformers produces, because the models ChatBench trains
// and fine-tunes (GPT2-chitchat, ckiplab/gpt2-base-chinese) were trained on its output: one
// differing token id silently shifts every prediction. transformers has two BERT tokenizers
// that normalize differently (bert_pre_tokenizer.h); the folder's tokenizer_class says which:
// BertTokenizer (the Python one), or BertTokenizerFast and, when no class is named, the fast one
// (what AutoTokenizer loads). The reference cases are in fixtures/tiny-gpt2-zh/expected.json.
//
// Unicode properties come from the system ICU (72: Unicode 15), transformers' from Python's
// unicodedata; they differ only for characters assigned in between (e.g. CJK Extension H).
//
// Invalid UTF-8 never throws: each ill-formed byte sequence becomes U+FFFD, as Python's
// decode(errors="replace") would, and BERT's cleaning then drops it.

#include "chatbench/tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

// Which of transformers' BERT tokenizers the folder was made for.
enum class BertFlavor {
    Fast, // BertTokenizerFast (the Rust tokenizers' BertNormalizer)
    Python, // BertTokenizer
};

// The tokenizer_config.json / special_tokens_map.json (or tokenizer.json) settings.
struct WordPieceOptions
{
    BertFlavor flavor = BertFlavor::Fast;
    bool doLowerCase = true;
    std::optional<bool> stripAccents; // unset: follows doLowerCase (transformers' null)
    bool tokenizeChineseChars = true;
    std::vector<std::string> neverSplit; // whole words that bypass splitting and WordPiece
    std::string unkToken = "[UNK]";
    std::string sepToken = "[SEP]";
    std::string padToken = "[PAD]";
    std::string clsToken = "[CLS]";
    std::string maskToken = "[MASK]";
    std::vector<std::string> additionalSpecialTokens;
    std::optional<std::int64_t> modelMaxLength; // unset: no limit recorded
    int maxInputCharsPerWord = 100; // longer words (in code points) become [UNK]

    bool effectiveStripAccents() const { return stripAccents.value_or(doLowerCase); }
    // unk, sep, pad, cls, mask, then the additional ones: kept whole when typed in the text.
    std::vector<std::string> specialTokens() const;
};

class WordPieceTokenizer final : public Tokenizer
{
public:
    // vocab.txt (+ tokenizer_config.json, special_tokens_map.json when present), or without a
    // vocab.txt the fast tokenizer's own tokenizer.json (its WordPiece model and BertNormalizer
    // flags). Throws chatbench::Error naming the file and the field.
    static std::unique_ptr<WordPieceTokenizer> load(const std::filesystem::path &dir);
    // Whether dir holds a WordPiece tokenizer this class reads (vocab.txt, or a tokenizer.json
    // whose model is WordPiece).
    static bool isWordPieceFolder(const std::filesystem::path &dir);
    // The vocabulary file alone: one token per line, id = line number - 1. Throws
    // chatbench::Error "FILE:LINE: ..." for an empty file, a duplicate token, invalid UTF-8.
    static std::vector<std::string> readVocabFile(const std::filesystem::path &file);
    // tokenizer_config.json and special_tokens_map.json of dir (defaults where absent).
    static WordPieceOptions readOptions(const std::filesystem::path &dir);

    // Throws chatbench::Error for an empty vocabulary, a duplicate token or a missing unk token.
    explicit WordPieceTokenizer(std::vector<std::string> vocab, WordPieceOptions options = {});
    ~WordPieceTokenizer() override;
    WordPieceTokenizer(const WordPieceTokenizer &other);
    WordPieceTokenizer &operator=(const WordPieceTokenizer &other);
    WordPieceTokenizer(WordPieceTokenizer &&other) noexcept;
    WordPieceTokenizer &operator=(WordPieceTokenizer &&other) noexcept;

    std::string kind() const override { return "wordpiece"; }
    std::vector<std::string> tokenize(std::string_view utf8) const override;
    std::vector<std::int32_t> encode(
        std::string_view utf8, bool addSpecialTokens = true) const override;
    // Appends the ids of utf8 (no special tokens) to out: the allocation-free path for corpora.
    void encodeAppend(std::string_view utf8, std::vector<std::int32_t> &out) const;
    // Not transformers' decode (which puts spaces between all tokens): "##" pieces join the
    // previous token, and no space is put next to a wide (CJK, full-width) character or CJK
    // punctuation, so "你好，世界" comes back as typed; no space before , . ! ? either.
    std::string decode(
        const std::vector<std::int32_t> &ids, bool skipSpecialTokens = true) const override;

    std::int32_t tokenToId(std::string_view token) const override;
    std::string idToToken(std::int32_t id) const override;
    std::int32_t vocabSize() const override;
    const SpecialTokenIds &specialIds() const override;

    // vocab.txt, tokenizer_config.json (with the flavor's tokenizer_class),
    // special_tokens_map.json, each written atomically.
    void save(const std::filesystem::path &dir) const override;

    const WordPieceOptions &options() const;
    const std::vector<std::string> &vocab() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace chatbench
