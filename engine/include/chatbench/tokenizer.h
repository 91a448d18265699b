#pragma once
// The one interface every tokenizer family implements (BERT WordPiece, SentencePiece), so the
// data pipeline, trainer and sampler never care which one a model uses.
// Implementations are immutable after loading: every const method is safe to call from several
// threads at once (the data pipeline tokenizes on all cores).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

// -1 where the vocabulary has no such token.
struct SpecialTokenIds
{
    std::int32_t pad = -1;
    std::int32_t unk = -1;
    std::int32_t cls = -1; // starts a GPT2-chitchat dialogue; BERT's [CLS]
    std::int32_t sep = -1; // ends every utterance; BERT's [SEP]
    std::int32_t mask = -1;
    std::int32_t bos = -1;
    std::int32_t eos = -1;
};

class Tokenizer
{
public:
    virtual ~Tokenizer() = default;

    // "wordpiece" or "sentencepiece"
    virtual std::string kind() const = 0;

    // Text -> token strings, no special tokens added.
    virtual std::vector<std::string> tokenize(std::string_view utf8) const = 0;
    // Text -> ids; with addSpecialTokens, wrapped as the family does by default
    // (WordPiece: [CLS] ... [SEP]).
    virtual std::vector<std::int32_t> encode(
        std::string_view utf8, bool addSpecialTokens = true) const = 0;
    // Ids -> readable text (WordPiece: "##" pieces joined, CJK without spaces).
    virtual std::string decode(
        const std::vector<std::int32_t> &ids, bool skipSpecialTokens = true) const = 0;

    // -1 when the token is not in the vocabulary.
    virtual std::int32_t tokenToId(std::string_view token) const = 0;
    // Throws chatbench::Error for an id outside [0, vocabSize()).
    virtual std::string idToToken(std::int32_t id) const = 0;
    virtual std::int32_t vocabSize() const = 0;
    virtual const SpecialTokenIds &specialIds() const = 0;

    // Writes this tokenizer's files into a checkpoint folder (Hugging Face names).
    virtual void save(const std::filesystem::path &dir) const = 0;
};

// Opens the tokenizer stored in a model or tokenizer folder: vocab.txt (+ tokenizer_config.json)
// means BERT WordPiece; a *.model file means SentencePiece. Throws chatbench::Error naming the
// folder and what was looked for when neither is there.
std::unique_ptr<Tokenizer> loadTokenizer(const std::filesystem::path &dir);

} // namespace chatbench
