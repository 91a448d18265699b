#pragma once
// Builds a BERT-style WordPiece vocabulary from a corpus, for training a model from scratch on
// text that bert-base-chinese's vocabulary does not cover well. The layout keeps
// bert-base-chinese's special ids ([PAD]=0, [unused1..99]=1..99, [UNK]=100, [CLS]=101, [SEP]=102,
// [MASK]=103) so GPT2-chitchat's conventions hold for either vocabulary.
//
// Algorithm (deterministic: ties break by token bytes, never by hash order):
//  1. Pre-tokenize every line exactly as the resulting tokenizer will (BertPreTokenizer) and
//     count words.
//  2. After the special tokens: CJK characters by frequency; printable ASCII (punctuation,
//     digits, letters; uppercase only without lowercasing) always; every other character seen,
//     by frequency; then "##c" for every character seen inside a word. With these, any word made
//     of seen characters has a WordPiece split, so the corpus encodes without [UNK] (characters
//     below minFrequency and vocabulary-size cuts aside).
//  3. The remaining slots go to multi-character pieces: every word prefix and every "##" inner
//     substring (2..maxPieceChars characters; whole words included) is scored by
//     count x (characters - 1), the characters it would save in a greedy split; the best scoring
//     ones with count >= minFrequency are taken.

#include "tokenize/wordpiece_tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace chatbench {

struct WordPieceVocabOptions
{
    std::int32_t vocabSize = 21128; // bert-base-chinese's size
    std::int64_t minFrequency = 2; // rarer characters and pieces are left out
    bool lowercase = true; // also strips accents, as do_lower_case does in BERT
    bool tokenizeChineseChars = true;
    int maxPieceChars = 16; // longest multi-character piece considered

    // The tokenizer options matching these settings (special tokens at their standard names).
    WordPieceOptions tokenizerOptions() const;
};

// lines: UTF-8 text, one utterance per entry. Throws chatbench::Error when vocabSize is too small
// for the special tokens and the ASCII characters.
std::vector<std::string> buildWordPieceVocab(
    const std::vector<std::string> &lines, const WordPieceVocabOptions &options = {});
// The same over text files (read line by line; errors name the file).
std::vector<std::string> buildWordPieceVocab(
    const std::vector<std::filesystem::path> &files, const WordPieceVocabOptions &options = {});

// buildWordPieceVocab + a tokenizer using it.
WordPieceTokenizer buildWordPieceTokenizer(
    const std::vector<std::string> &lines, const WordPieceVocabOptions &options = {});

} // namespace chatbench
