#pragma once
// BERT's "basic tokenizer" (everything before WordPiece), shared by WordPieceTokenizer and the
// vocabulary builder so that both see exactly the same words: clean (drop NUL, U+FFFD and
// category C except \t \n \r; whitespace -> space), CJK ideographs as one-character words,
// normalization, whitespace split, punctuation split. Two normalizations exist, because the two
// BERT tokenizers of transformers differ there:
//  - Python (BertTokenizer's BasicTokenizer): NFC after the CJK split, then lowercase, then
//    accent strip (NFD, drop Mn);
//  - Fast (the Rust tokenizers' BertNormalizer, BertTokenizerFast): no NFC; accent strip, then
//    lowercase. With neither lowercasing nor accent stripping it leaves the text as typed, so a
//    decomposed accent or a CJK compatibility ideograph reaches WordPiece unchanged.
// Unicode properties come from ICU; a per-code-point flag cache derived from ICU lets the common
// case (ASCII, CJK, CJK punctuation) skip ICU's normalizers entirely.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace chatbench {

// Reusable output buffers: one per thread, so tokenizing a corpus line by line allocates nothing
// once the buffers have grown.
struct PreTokens
{
    struct Piece
    {
        std::uint32_t offset; // into bytes
        std::uint32_t size; // bytes
        std::uint32_t chars; // code points (WordPiece's length limit counts these)
        bool neverSplit; // a never_split word: goes to the output as is, no WordPiece
    };
    std::string bytes;
    std::vector<Piece> pieces;
    std::string word; // scratch: the current whitespace-delimited word
    std::string normalized; // scratch: the word after ICU normalization

    std::string_view text(const Piece &p) const { return { bytes.data() + p.offset, p.size }; }
    void clear()
    {
        bytes.clear();
        pieces.clear();
    }
};

class BertPreTokenizer
{
public:
    struct Options
    {
        bool lowerCase = true;
        bool stripAccents = true;
        bool chineseChars = true;
        bool nfc = true; // false: the fast tokenizer's normalization (see above)
        std::vector<std::string> neverSplit; // whole words kept as they are (special tokens)
    };

    explicit BertPreTokenizer(Options options);

    // Appends the pieces of utf8 to out (invalid UTF-8 bytes are dropped, see utf8.h).
    void run(std::string_view utf8, PreTokens &out) const;

    const Options &options() const { return m_options; }

private:
    void flushWord(PreTokens &out, bool &simple) const;
    bool isNeverSplit(std::string_view word) const;
    void pushWhole(std::string_view word, PreTokens &out) const;
    void normalize(const std::string &word, std::string &out) const;
    void splitPunctuation(std::string_view word, PreTokens &out) const;

    Options m_options;
    std::unordered_set<std::string> m_neverSplit;
    std::array<bool, 256> m_neverSplitFirst {}; // cheap reject before hashing a word
    std::uint8_t m_simpleMask; // flags a character needs to pass through normalization unchanged
};

// Whether BERT treats the code point as a CJK ideograph (transformers' _is_chinese_char).
bool isCjkIdeograph(char32_t cp);
// transformers' _is_punctuation: ASCII non-alphanumerics and Unicode P*.
bool isBertPunctuation(char32_t cp);

} // namespace chatbench
