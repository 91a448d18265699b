#pragma once
// Pairwise judgements of two models' replies (blind A/B, as Chatbot Arena collects them) and
// what they add up to: each model's wins, losses, ties and both-bad verdicts, its win rate with
// a Wilson 95% interval, and Bradley–Terry strengths on the Elo scale. Pure C++, torch-free.

#include <cstddef>
#include <vector>

namespace chatbench {

enum class Verdict {
    LeftBetter, // the reply shown on the left (A) is the better one
    RightBetter,
    Tie, // both are as good
    BothBad, // neither is acceptable
};

struct PairVote
{
    std::size_t prompt = 0; // the dialogue judged
    int left = 0, right = 0; // model indices, as shown on the left (A) and the right (B)
    Verdict verdict = Verdict::Tie;
};

// The winner's model index, or -1 for a tie or both bad.
int winnerOf(const PairVote &vote);

struct Interval
{
    double low = 0, high = 1;
};

// The Wilson score interval of a proportion: successes of trials at the normal quantile z (1.96:
// 95%). Unlike the normal approximation it stays inside [0, 1] and is sensible for small counts
// and rates near 0 or 1. successes may be fractional (a tie is half a win). No trials: [0, 1].
Interval wilsonInterval(double successes, double trials, double z = 1.96);

struct ModelStanding
{
    int wins = 0, losses = 0, ties = 0, bothBad = 0;
    int comparisons() const { return wins + losses + ties + bothBad; }
    // (wins + ties / 2) / comparisons. A tie is half a win for each side; both bad is a
    // comparison that neither side won, so it lowers both rates: a model whose replies are all
    // rejected should not look like a coin flip. NaN without comparisons.
    double winRate = 0;
    Interval interval; // Wilson 95% over the same counts
};

// One standing per model (indices 0 .. modelCount - 1). A vote naming a model outside that
// range, or a model against itself, throws chatbench::Error.
std::vector<ModelStanding> tallyVotes(const std::vector<PairVote> &votes, int modelCount);

// Bradley–Terry ratings on the Elo scale: P(i beats j) = 1 / (1 + 10^((R_j - R_i) / 400)), the
// mean rating is 1000. Fitted by Hunter's MM iteration (p_i <- W_i / sum_j n_ij / (p_i + p_j)),
// which increases the likelihood at every step. A tie is half a win for each side; both bad says
// nothing about which is better and is left out. Every pair of models that met gets one virtual
// tie as a prior: it keeps a model that never won at a finite rating and shrinks ratings drawn
// from a handful of votes. A model that met no other stays at 1000.
std::vector<double> bradleyTerryElo(const std::vector<PairVote> &votes, int modelCount);

} // namespace chatbench
