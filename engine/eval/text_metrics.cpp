#include "chatbench/text_metrics.h"

#include "chatbench/error.h"
#include "tokenize/utf8.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace chatbench {
namespace {

// Python's str.isspace() set, which is what splitting LCCC's text would remove.
bool isSpace(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0
        || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F
        || c == 0x205F || c == 0x3000;
}

using Counts = std::unordered_map<std::u32string, std::int64_t>;

Counts ngramCounts(const std::u32string &s, std::size_t n)
{
    Counts out;
    for (std::size_t i = 0; i + n <= s.size(); ++i)
        ++out[s.substr(i, n)];
    return out;
}

std::vector<std::u32string> allCharacters(const std::vector<std::string> &texts)
{
    std::vector<std::u32string> out;
    out.reserve(texts.size());
    for (const auto &t : texts)
        out.push_back(metricCharacters(t));
    return out;
}

// NLTK's modified_precision as (numerator, denominator): hypothesis n-gram counts clipped by
// their largest count in any one reference; the denominator is at least 1.
std::pair<std::int64_t, std::int64_t> modifiedPrecision(
    const std::vector<std::u32string> &references, const std::u32string &hypothesis, std::size_t n)
{
    const Counts counts = ngramCounts(hypothesis, n);
    Counts maxRef;
    for (const auto &ref : references)
        for (const auto &[gram, c] : ngramCounts(ref, n))
            if (counts.count(gram))
                maxRef[gram] = std::max(maxRef[gram], c);
    std::int64_t clipped = 0, total = 0;
    for (const auto &[gram, c] : counts) {
        total += c;
        const auto it = maxRef.find(gram);
        clipped += std::min(c, it == maxRef.end() ? 0 : it->second);
    }
    return { clipped, std::max<std::int64_t>(1, total) };
}

// NLTK's closest_ref_length: nearest length, the shorter one on a tie.
std::int64_t closestReferenceLength(
    const std::vector<std::u32string> &references, std::int64_t hypothesisLength)
{
    std::int64_t best = -1;
    for (const auto &ref : references) {
        const auto len = std::int64_t(ref.size());
        const auto d = std::llabs(len - hypothesisLength),
                   bestD = std::llabs(best - hypothesisLength);
        if (best < 0 || d < bestD || (d == bestD && len < best))
            best = len;
    }
    return std::max<std::int64_t>(best, 0); // no reference: NLTK fails; length 0 here
}

} // namespace

std::u32string metricCharacters(std::string_view utf8)
{
    std::u32string out;
    const char *p = utf8.data(), *end = p + utf8.size();
    while (p < end) {
        char32_t c;
        p += utf8::decode(p, end, c);
        if (!isSpace(c))
            out.push_back(c);
    }
    return out;
}

double distinctN(const std::vector<std::string> &responses, int n)
{
    if (n <= 0)
        throw Error("distinct-n: n must be >= 1");
    std::unordered_set<std::u32string> distinct;
    std::int64_t total = 0;
    for (const auto &chars : allCharacters(responses))
        for (std::size_t i = 0; i + std::size_t(n) <= chars.size(); ++i, ++total)
            distinct.insert(chars.substr(i, std::size_t(n)));
    return total == 0 ? 0.0 : double(distinct.size()) / double(total);
}

double corpusBleu(const std::vector<std::vector<std::string>> &references,
    const std::vector<std::string> &hypotheses, const std::vector<double> &weights)
{
    if (references.size() != hypotheses.size())
        throw Error("BLEU: " + std::to_string(references.size()) + " reference lists for "
            + std::to_string(hypotheses.size()) + " hypotheses");
    if (weights.empty())
        throw Error("BLEU: no weights");
    const std::size_t maxN = weights.size();
    std::vector<std::int64_t> numerators(maxN, 0), denominators(maxN, 0);
    std::int64_t hypLength = 0, refLength = 0;
    for (std::size_t s = 0; s < hypotheses.size(); ++s) {
        const auto refs = allCharacters(references[s]);
        const auto hyp = metricCharacters(hypotheses[s]);
        for (std::size_t n = 1; n <= maxN; ++n) {
            const auto [num, den] = modifiedPrecision(refs, hyp, n);
            numerators[n - 1] += num;
            denominators[n - 1] += den;
        }
        hypLength += std::int64_t(hyp.size());
        refLength += closestReferenceLength(refs, std::int64_t(hyp.size()));
    }
    if (numerators[0] == 0)
        return 0.0;
    // NLTK's brevity_penalty.
    const double bp = hypLength > refLength ? 1.0
        : hypLength == 0                    ? 0.0
                                            : std::exp(1.0 - double(refLength) / double(hypLength));
    double logSum = 0;
    for (std::size_t i = 0; i < maxN; ++i) {
        // SmoothingFunction().method1: epsilon 0.1 for a zero numerator.
        const double numerator = numerators[i] == 0 ? 0.1 : double(numerators[i]);
        logSum += weights[i] * std::log(numerator / double(denominators[i]));
    }
    return bp * std::exp(logSum);
}

double sentenceBleu(const std::vector<std::string> &references, const std::string &hypothesis,
    const std::vector<double> &weights)
{
    return corpusBleu({ references }, { hypothesis }, weights);
}

double meanLength(const std::vector<std::string> &responses)
{
    if (responses.empty())
        return 0.0;
    std::int64_t total = 0;
    for (const auto &chars : allCharacters(responses))
        total += std::int64_t(chars.size());
    return double(total) / double(responses.size());
}

double repetitionRate(const std::vector<std::string> &responses, int n)
{
    if (n <= 0)
        throw Error("repetition rate: n must be >= 1");
    if (responses.empty())
        return 0.0;
    std::int64_t repeating = 0;
    for (const auto &chars : allCharacters(responses)) {
        const Counts counts = ngramCounts(chars, std::size_t(n));
        repeating += std::any_of(
            counts.begin(), counts.end(), [](const auto &entry) { return entry.second > 1; });
    }
    return double(repeating) / double(responses.size());
}

TextMetrics evaluateReplies(
    const std::vector<std::string> &responses, const std::vector<std::string> &references)
{
    if (responses.size() != references.size())
        throw Error("evaluation: " + std::to_string(responses.size()) + " responses for "
            + std::to_string(references.size()) + " references");
    std::vector<std::vector<std::string>> referenceLists;
    referenceLists.reserve(references.size());
    for (const auto &r : references)
        referenceLists.push_back({ r });
    TextMetrics m;
    m.distinct1 = distinctN(responses, 1);
    m.distinct2 = distinctN(responses, 2);
    m.bleu2 = corpusBleu(referenceLists, responses, kBleu2Weights);
    m.bleu4 = corpusBleu(referenceLists, responses, kBleu4Weights);
    m.meanLength = meanLength(responses);
    m.repetitionRate = repetitionRate(responses);
    return m;
}

} // namespace chatbench
