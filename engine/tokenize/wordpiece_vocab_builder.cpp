#include "tokenize/wordpiece_vocab_builder.h"

#include "chatbench/error.h"
#include "tokenize/bert_pre_tokenizer.h"
#include "tokenize/utf8.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <unordered_map>

namespace chatbench {
namespace {

constexpr int kBertLayoutSize = 104; // [PAD], [unused1..99], [UNK], [CLS], [SEP], [MASK]
constexpr int kMaxWordChars = 100; // longer words are [UNK] whatever the vocabulary holds

std::vector<std::string> bertSpecialLayout()
{
    std::vector<std::string> vocab = { "[PAD]" };
    for (int i = 1; i <= 99; ++i)
        vocab.push_back("[unused" + std::to_string(i) + "]");
    for (const char *token : { "[UNK]", "[CLS]", "[SEP]", "[MASK]" })
        vocab.emplace_back(token);
    return vocab;
}

class WordCounter
{
public:
    explicit WordCounter(const WordPieceVocabOptions &options)
        : m_preTokenizer([&] {
              BertPreTokenizer::Options p;
              p.lowerCase = options.lowercase;
              p.stripAccents = options.lowercase;
              p.chineseChars = options.tokenizeChineseChars;
              p.neverSplit = options.tokenizerOptions().specialTokens();
              return p;
          }())
    { }

    void addLine(std::string_view line)
    {
        m_scratch.clear();
        m_preTokenizer.run(line, m_scratch);
        for (const PreTokens::Piece &piece : m_scratch.pieces)
            if (!piece.neverSplit && piece.chars <= kMaxWordChars)
                ++m_words[std::string(m_scratch.text(piece))];
    }

    const std::unordered_map<std::string, std::int64_t> &words() const { return m_words; }

private:
    BertPreTokenizer m_preTokenizer;
    PreTokens m_scratch;
    std::unordered_map<std::string, std::int64_t> m_words;
};

struct Candidate
{
    std::string token;
    std::int64_t count;
    std::int64_t score;
};

// Highest score first, then the token's bytes: the same input always gives the same order.
void sortCandidates(std::vector<Candidate> &candidates)
{
    std::sort(candidates.begin(), candidates.end(), [](const Candidate &a, const Candidate &b) {
        if (a.score != b.score)
            return a.score > b.score;
        return a.token < b.token;
    });
}

std::vector<Candidate> toCandidates(const std::map<std::string, std::int64_t> &counts,
    std::int64_t minFrequency, const std::string &prefix, bool scoreBySavings)
{
    std::vector<Candidate> out;
    for (const auto &[text, count] : counts) {
        if (count < minFrequency)
            continue;
        std::int64_t chars = 0;
        for (char c : text)
            chars += !utf8::isContinuation(static_cast<unsigned char>(c));
        out.push_back({ prefix + text, count, scoreBySavings ? count * (chars - 1) : count });
    }
    sortCandidates(out);
    return out;
}

std::vector<std::string> assemble(const std::unordered_map<std::string, std::int64_t> &words,
    const WordPieceVocabOptions &options)
{
    // Character and substring counts, weighted by word frequency. Ordered maps keep the
    // iteration order independent of hashing.
    std::map<std::string, std::int64_t> cjk, firstChars, innerChars, prefixes, inner;
    for (const auto &[word, count] : words) {
        std::vector<std::size_t> starts; // byte offset of every character, plus the end
        for (std::size_t i = 0; i < word.size(); ++i)
            if (!utf8::isContinuation(static_cast<unsigned char>(word[i])))
                starts.push_back(i);
        starts.push_back(word.size());
        const std::size_t chars = starts.size() - 1;
        for (std::size_t c = 0; c < chars; ++c) {
            std::string ch = word.substr(starts[c], starts[c + 1] - starts[c]);
            char32_t cp;
            utf8::decode(ch.data(), ch.data() + ch.size(), cp);
            if (c == 0 && isCjkIdeograph(cp))
                cjk[ch] += count;
            else if (c == 0)
                firstChars[ch] += count;
            else
                innerChars[ch] += count;
        }
        const std::size_t maxLen = static_cast<std::size_t>(std::max(options.maxPieceChars, 2));
        for (std::size_t begin = 0; begin < chars; ++begin)
            for (std::size_t len = 2; len <= maxLen && begin + len <= chars; ++len) {
                std::string piece = word.substr(starts[begin], starts[begin + len] - starts[begin]);
                (begin == 0 ? prefixes : inner)[piece] += count;
            }
    }

    std::vector<std::string> vocab = bertSpecialLayout();
    std::vector<std::string> ascii;
    for (char c = 33; c <= 126; ++c)
        if (!(options.lowercase && c >= 'A' && c <= 'Z'))
            ascii.emplace_back(1, c);
    const std::size_t required = vocab.size() + ascii.size();
    if (options.vocabSize < 0 || static_cast<std::size_t>(options.vocabSize) < required)
        throw Error("WordPiece vocabulary size " + std::to_string(options.vocabSize)
            + " is too small: the special tokens and ASCII characters alone need "
            + std::to_string(required));
    const auto limit = static_cast<std::size_t>(options.vocabSize);
    std::unordered_map<std::string, bool> present;
    for (const std::string &t : vocab)
        present[t] = true;
    auto add = [&](const std::string &token, std::size_t cap) {
        if (vocab.size() < cap && present.emplace(token, true).second)
            vocab.push_back(token);
    };

    for (const Candidate &c : toCandidates(cjk, options.minFrequency, {}, false))
        add(c.token, limit - ascii.size()); // ASCII's slots are reserved
    for (const std::string &c : ascii)
        add(c, limit);
    // Other characters (kana, full-width punctuation, emoji, ...) wherever they were seen.
    std::map<std::string, std::int64_t> others = firstChars;
    for (const auto &[ch, count] : innerChars) {
        char32_t cp;
        utf8::decode(ch.data(), ch.data() + ch.size(), cp);
        if (!isCjkIdeograph(cp))
            others[ch] += count;
    }
    for (const Candidate &c : toCandidates(others, options.minFrequency, {}, false))
        add(c.token, limit);
    for (const Candidate &c : toCandidates(innerChars, options.minFrequency, "##", false))
        add(c.token, limit);

    std::vector<Candidate> pieces = toCandidates(prefixes, options.minFrequency, {}, true);
    std::vector<Candidate> innerPieces = toCandidates(inner, options.minFrequency, "##", true);
    pieces.insert(pieces.end(), innerPieces.begin(), innerPieces.end());
    sortCandidates(pieces);
    for (const Candidate &c : pieces)
        add(c.token, limit);
    return vocab;
}

} // namespace

WordPieceOptions WordPieceVocabOptions::tokenizerOptions() const
{
    WordPieceOptions o;
    // The words were counted with the Python tokenizer's normalization (the pre-tokenizer's
    // default), so the tokenizer that uses the vocabulary normalizes the same way.
    o.flavor = BertFlavor::Python;
    o.doLowerCase = lowercase;
    o.tokenizeChineseChars = tokenizeChineseChars;
    return o;
}

std::vector<std::string> buildWordPieceVocab(
    const std::vector<std::string> &lines, const WordPieceVocabOptions &options)
{
    WordCounter counter(options);
    for (const std::string &line : lines)
        counter.addLine(line);
    return assemble(counter.words(), options);
}

std::vector<std::string> buildWordPieceVocab(
    const std::vector<std::filesystem::path> &files, const WordPieceVocabOptions &options)
{
    WordCounter counter(options);
    std::string line;
    for (const std::filesystem::path &file : files) {
        std::ifstream in(file, std::ios::binary);
        if (!in)
            throw Error::inFile(file, "cannot open corpus file");
        while (std::getline(in, line))
            counter.addLine(line);
        if (in.bad())
            throw Error::inFile(file, "read error");
    }
    return assemble(counter.words(), options);
}

WordPieceTokenizer buildWordPieceTokenizer(
    const std::vector<std::string> &lines, const WordPieceVocabOptions &options)
{
    return WordPieceTokenizer(buildWordPieceVocab(lines, options), options.tokenizerOptions());
}

} // namespace chatbench
