// distinct-n, NLTK's character BLEU with smoothing method1, mean length and repetition rate on
// cases small enough to count by hand. The BLEU values were also cross-checked against an
// independent Python transcription of nltk.translate.bleu_score (not part of the repository).

#include "chatbench/error.h"
#include "chatbench/text_metrics.h"

#include <QtTest/QtTest>
#include <cmath>

using namespace chatbench;

namespace {

bool near(double got, double want)
{
    return std::abs(got - want) < 1e-12;
}

} // namespace

#define QCOMPARE_NEAR(got, want)                                                                   \
    QVERIFY2(near((got), (want)),                                                                  \
        qPrintable(QString("%1 != %2").arg((got), 0, 'g', 17).arg((want), 0, 'g', 17)))

class TestTextMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void characters()
    {
        QCOMPARE(metricCharacters("我 很\t好\u3000a"), std::u32string(U"我很好a"));
        QCOMPARE(metricCharacters(""), std::u32string());
    }

    void distinct()
    {
        // Characters: 我很好 | 我很好啊 | 哈哈哈哈 (spaces dropped).
        const std::vector<std::string> replies = { "我很好", "我 很 好 啊", "哈哈哈哈" };
        // 11 unigrams, distinct 我很好啊哈 = 5.
        QCOMPARE_NEAR(distinctN(replies, 1), 5.0 / 11.0);
        // 2 + 3 + 3 bigrams, distinct 我很 很好 好啊 哈哈 = 4 (none spans two replies).
        QCOMPARE_NEAR(distinctN(replies, 2), 4.0 / 8.0);
        QCOMPARE(distinctN({ "a", "" }, 2), 0.0);
        QCOMPARE(distinctN({}, 1), 0.0);
        QVERIFY_THROWS_EXCEPTION(chatbench::Error, distinctN(replies, 0));
    }

    void sentenceBleuByHand()
    {
        QCOMPARE_NEAR(sentenceBleu({ "abcd" }, "abcd", kBleu2Weights), 1.0);
        // hyp abcx, ref abcd: p1 3/4, p2 2/3, equal lengths (BP 1): sqrt(1/2).
        QCOMPARE_NEAR(sentenceBleu({ "abcd" }, "abcx", kBleu2Weights), std::sqrt(0.5));
        // p3 1/2, p4 0/1 -> method1 0.1/1: (3/4 * 2/3 * 1/2 * 0.1)^(1/4) = 0.025^(1/4).
        QCOMPARE_NEAR(sentenceBleu({ "abcd" }, "abcx", kBleu4Weights), std::pow(0.025, 0.25));
        // hyp ab, ref abcd: p1 = p2 = 1, BP exp(1 - 4/2); p3 and p4 have no n-gram at all:
        // denominator max(1, 0) = 1, numerator 0.1.
        QCOMPARE_NEAR(sentenceBleu({ "abcd" }, "ab", kBleu2Weights), std::exp(-1.0));
        QCOMPARE_NEAR(
            sentenceBleu({ "abcd" }, "ab", kBleu4Weights), std::exp(-1.0) * std::sqrt(0.1));
        // No unigram matches: 0, before any smoothing.
        QCOMPARE(sentenceBleu({ "xyz" }, "abc", kBleu2Weights), 0.0);
        QCOMPARE(sentenceBleu({ "xyz" }, "", kBleu2Weights), 0.0);
    }

    void corpusBleuByHand()
    {
        const std::vector<std::vector<std::string>> refs
            = { { "我 很 好 ， 谢 谢", "我还好" }, { "今天天气不错" }, { "哈哈" } };
        const std::vector<std::string> hyps = { "我很好啊", "天气真不错", "哈" };
        // clipped / total n-grams per hypothesis (closest reference length):
        //   我很好啊    1: 3/4  2: 2/3  3: 1/2  4: 0/1   (refs 6 and 3 chars -> 3)
        //   天气真不错  1: 4/5  2: 2/4  3: 0/3  4: 0/2   (6)
        //   哈          1: 1/1  2: 0/1  3: 0/1  4: 0/1   (2; empty n-gram sets count 1)
        // Sums: p1 8/10, p2 4/8, p3 1/6, p4 0/4 -> method1 0.1/4; c = 10, r = 11.
        const double bp = std::exp(1.0 - 11.0 / 10.0);
        QCOMPARE_NEAR(corpusBleu(refs, hyps, kBleu2Weights), bp * std::sqrt(0.8 * 0.5));
        QCOMPARE_NEAR(corpusBleu(refs, hyps, kBleu4Weights),
            bp * std::pow(0.8 * 0.5 * (1.0 / 6.0) * (0.1 / 4.0), 0.25));
        QCOMPARE_NEAR(corpusBleu(refs, hyps, kBleu4Weights), 0.18282380323532196); // Python

        // Clipping. aaab vs aaaa: a x3 (clipped 3), b (0) -> 3/4; aa x2 (ref has 3), ab (0) -> 2/3.
        // ba vs abab: 2/2 and 1/1. p1 = 5/6, p2 = 3/4; c = 6 < r = 8.
        QCOMPARE_NEAR(corpusBleu({ { "aaaa" }, { "abab" } }, { "aaab", "ba" }, kBleu2Weights),
            std::exp(1.0 - 8.0 / 6.0) * std::sqrt(5.0 / 6.0 * 3.0 / 4.0));
        QVERIFY_THROWS_EXCEPTION(chatbench::Error, corpusBleu({}, { "a" }, kBleu2Weights));
    }

    void lengthAndRepetition()
    {
        const std::vector<std::string> replies = { "哈哈哈哈", "我很好", "好的好的", "ab ab" };
        QCOMPARE_NEAR(meanLength(replies), (4 + 3 + 4 + 4) / 4.0);
        // 哈哈哈 twice (overlapping) in the first; 好的好 once in the third; abab has "aba"
        // and "bab" once each.
        QCOMPARE_NEAR(repetitionRate(replies), 1.0 / 4.0);
        QCOMPARE_NEAR(repetitionRate(replies, 2), 3.0 / 4.0);
        QCOMPARE(repetitionRate({}), 0.0);
        QCOMPARE(meanLength({}), 0.0);
    }

    void evaluateAll()
    {
        const auto m = evaluateReplies({ "abcx", "ab" }, { "abcd", "abcd" });
        QCOMPARE_NEAR(m.distinct1, 4.0 / 6.0);
        QCOMPARE_NEAR(m.distinct2, 3.0 / 4.0);
        QCOMPARE_NEAR(m.meanLength, 3.0);
        QCOMPARE(m.repetitionRate, 0.0);
        QCOMPARE_NEAR(
            m.bleu2, corpusBleu({ { "abcd" }, { "abcd" } }, { "abcx", "ab" }, kBleu2Weights));
        QVERIFY_THROWS_EXCEPTION(chatbench::Error, evaluateReplies({ "a" }, {}));
    }
};

QTEST_GUILESS_MAIN(TestTextMetrics)
#include "test_text_metrics.moc"
