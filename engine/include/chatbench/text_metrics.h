#pragma once
// Reply-quality metrics over Unicode characters, the way Chinese dialogue papers report them:
// distinct-n, NLTK's BLEU with smoothing method1, mean length and a repetition rate. Pure C++.
// Texts are UTF-8; a "character" is a code point, and whitespace is not one (LCCC writes its
// characters separated by spaces, and a space is no evidence of diversity or overlap).

#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

// The characters of a text, whitespace dropped; invalid UTF-8 becomes U+FFFD.
std::u32string metricCharacters(std::string_view utf8);

// Corpus-level distinct-n: distinct n-grams / n-grams, counted over all responses together (an
// n-gram never spans two responses). 0 when there is no n-gram.
double distinctN(const std::vector<std::string> &responses, int n);

// NLTK's corpus_bleu(list_of_references, hypotheses, weights,
// smoothing_function=SmoothingFunction().method1) on characters: clipped n-gram counts summed
// over the corpus (each hypothesis adds at least 1 to every denominator), a zero numerator
// replaced by 0.1, and the brevity penalty from the summed closest reference lengths (ties to
// the shorter). references[i] are the references of hypotheses[i]. 0 when no unigram matches.
double corpusBleu(const std::vector<std::vector<std::string>> &references,
    const std::vector<std::string> &hypotheses, const std::vector<double> &weights);
// NLTK's sentence_bleu: corpusBleu of one hypothesis.
double sentenceBleu(const std::vector<std::string> &references, const std::string &hypothesis,
    const std::vector<double> &weights);
inline const std::vector<double> kBleu2Weights = { 0.5, 0.5 };
inline const std::vector<double> kBleu4Weights = { 0.25, 0.25, 0.25, 0.25 };

// Mean number of characters per response; 0 for none.
double meanLength(const std::vector<std::string> &responses);

// The fraction of responses in which some character n-gram occurs twice or more (occurrences
// may overlap: "哈哈哈哈" repeats "哈哈哈" for n = 3). Catches a model looping within one reply,
// which corpus-level distinct-n dilutes. 0 for none.
double repetitionRate(const std::vector<std::string> &responses, int n = 3);

struct TextMetrics
{
    double distinct1 = 0, distinct2 = 0;
    double bleu2 = 0, bleu4 = 0; // corpus BLEU against one reference per response
    double meanLength = 0;
    double repetitionRate = 0; // n = 3
};
// responses[i] answers the context whose reference reply is references[i] (same size, else
// chatbench::Error).
TextMetrics evaluateReplies(
    const std::vector<std::string> &responses, const std::vector<std::string> &references);

} // namespace chatbench
