// Blind A/B statistics on votes small enough to count by hand: the tally (ties half a win, both
// bad a vote with no win), Wilson 95% intervals, and Bradley–Terry ratings on the Elo scale.

#include "chatbench/error.h"
#include "chatbench/pairwise_votes.h"

#include <QtTest/QtTest>
#include <cmath>

using namespace chatbench;

#define QCOMPARE_NEAR(got, want, tolerance)                                                        \
    QVERIFY2(std::abs((got) - (want)) < (tolerance),                                               \
        qPrintable(QString("%1 != %2").arg((got), 0, 'g', 12).arg((want), 0, 'g', 12)))

class TestPairwiseVotes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wilsonByHand()
    {
        // 7 of 10, z = 1.96: p = 0.7, z²/n = 0.38416, denominator 1.38416;
        // centre (0.7 + 0.19208) / 1.38416 = 0.644492;
        // half 1.96 · sqrt(0.021 + 0.009604) / 1.38416 = 1.96 · 0.174940 / 1.38416 = 0.247718;
        // [0.396774, 0.892210].
        const Interval i = wilsonInterval(7, 10);
        QCOMPARE_NEAR(i.low, 0.396774, 1e-6);
        QCOMPARE_NEAR(i.high, 0.892210, 1e-6);
        // 0 of 5 and 5 of 5 stay inside [0, 1], and are not the empty interval of p ± z·se.
        QCOMPARE(wilsonInterval(0, 5).low, 0.0);
        QVERIFY(wilsonInterval(0, 5).high > 0.4);
        QCOMPARE(wilsonInterval(5, 5).high, 1.0);
        QCOMPARE(wilsonInterval(0, 0).low, 0.0);
        QCOMPARE(wilsonInterval(0, 0).high, 1.0);
    }

    void tallyByHand()
    {
        const std::vector<PairVote> votes = {
            { 0, 0, 1, Verdict::LeftBetter }, // 0 wins
            { 1, 1, 0, Verdict::LeftBetter }, // 1 wins
            { 2, 1, 0, Verdict::RightBetter }, // 0 wins
            { 3, 0, 1, Verdict::Tie },
            { 4, 1, 0, Verdict::BothBad },
        };
        const auto s = tallyVotes(votes, 2);
        QCOMPARE(s.size(), std::size_t(2));
        QCOMPARE(s[0].wins, 2);
        QCOMPARE(s[0].losses, 1);
        QCOMPARE(s[0].ties, 1);
        QCOMPARE(s[0].bothBad, 1);
        QCOMPARE(s[0].comparisons(), 5);
        QCOMPARE(s[1].wins, 1);
        QCOMPARE(s[1].losses, 2);
        // (2 + 1/2) / 5 and (1 + 1/2) / 5: both bad is in the denominator of both.
        QCOMPARE_NEAR(s[0].winRate, 0.5, 1e-12);
        QCOMPARE_NEAR(s[1].winRate, 0.3, 1e-12);
        // Wilson of 2.5 of 5: centre 0.5, half 1.96 · sqrt(0.05 + 0.038416) / 1.76832 = 0.329580.
        QCOMPARE_NEAR(s[0].interval.low, 0.170420, 1e-6);
        QCOMPARE_NEAR(s[0].interval.high, 0.829580, 1e-6);
        // A model with no vote has no rate.
        QVERIFY(std::isnan(tallyVotes(votes, 3)[2].winRate));
    }

    void badVotesAreNamed()
    {
        QVERIFY_THROWS_EXCEPTION(Error, tallyVotes({ { 0, 0, 2, Verdict::Tie } }, 2));
        QVERIFY_THROWS_EXCEPTION(Error, tallyVotes({ { 0, 1, 1, Verdict::Tie } }, 2));
        QVERIFY_THROWS_EXCEPTION(Error, bradleyTerryElo({ { 0, -1, 0, Verdict::Tie } }, 2));
    }

    void bradleyTerryTwoModels()
    {
        // 0 beats 1 three times, 1 beats 0 once; the prior's virtual tie makes it 3.5 to 1.5. For
        // two models the maximum-likelihood ratio is W_0 / W_1 = 7/3, so the ratings differ by
        // 400 · log10(7/3) = 147.19 around a mean of 1000.
        std::vector<PairVote> votes
            = { { 0, 0, 1, Verdict::LeftBetter }, { 1, 1, 0, Verdict::RightBetter },
                  { 2, 0, 1, Verdict::LeftBetter }, { 3, 0, 1, Verdict::RightBetter } };
        auto elo = bradleyTerryElo(votes, 2);
        QCOMPARE(elo.size(), std::size_t(2));
        QCOMPARE_NEAR(elo[0], 1073.595357, 1e-5);
        QCOMPARE_NEAR(elo[1], 926.404643, 1e-5);
        // Both bad says nothing about which is better.
        votes.push_back({ 4, 1, 0, Verdict::BothBad });
        QCOMPARE_NEAR(bradleyTerryElo(votes, 2)[0], 1073.595357, 1e-5);
        // A model that never won stays finite.
        const auto swept = bradleyTerryElo({ { 0, 0, 1, Verdict::LeftBetter } }, 2);
        QVERIFY(std::isfinite(swept[1]) && swept[1] < 1000);
    }

    void bradleyTerryThreeModels()
    {
        // A cycle (0 > 1 > 2 > 0) is a draw.
        const auto cycle
            = bradleyTerryElo({ { 0, 0, 1, Verdict::LeftBetter }, { 1, 1, 2, Verdict::LeftBetter },
                                  { 2, 2, 0, Verdict::LeftBetter } },
                3);
        for (double r : cycle)
            QCOMPARE_NEAR(r, 1000.0, 1e-6);

        // 0 beats 1 twice, 1 beats 2 twice, 0 beats 2 once, 0 and 2 tie once. With the prior's
        // tie per pair: n_01 = n_12 = n_02 = 3; W_0 = 2 + 1 + 0.5 + 1 = 4.5, W_1 = 2 + 1 = 3,
        // W_2 = 0.5 + 1 = 1.5. The fit must satisfy the likelihood equations
        // W_i = sum_j n_ij · p_i / (p_i + p_j), with p_i = 10^((R_i - 1000) / 400).
        const std::vector<PairVote> votes
            = { { 0, 0, 1, Verdict::LeftBetter }, { 1, 1, 0, Verdict::RightBetter },
                  { 2, 1, 2, Verdict::LeftBetter }, { 3, 2, 1, Verdict::RightBetter },
                  { 4, 0, 2, Verdict::LeftBetter }, { 5, 2, 0, Verdict::Tie } };
        const auto elo = bradleyTerryElo(votes, 3);
        QCOMPARE(elo.size(), std::size_t(3));
        QVERIFY(elo[0] > elo[1] && elo[1] > elo[2]);
        QCOMPARE_NEAR((elo[0] + elo[1] + elo[2]) / 3, 1000.0, 1e-6);
        double p[3];
        for (int i = 0; i < 3; ++i)
            p[i] = std::pow(10.0, (elo[std::size_t(i)] - 1000) / 400);
        const double won[3] = { 4.5, 3, 1.5 };
        for (int i = 0; i < 3; ++i) {
            double expected = 0;
            for (int j = 0; j < 3; ++j)
                if (j != i)
                    expected += 3 * p[i] / (p[i] + p[j]);
            QCOMPARE_NEAR(expected, won[i], 1e-8);
        }
    }
};

QTEST_MAIN(TestPairwiseVotes)
#include "test_pairwise_votes.moc"
