// Pairwise vote statistics: tallies, Wilson intervals and Bradley–Terry ratings
// (chatbench/pairwise_votes.h).

#include "chatbench/pairwise_votes.h"

#include "chatbench/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace chatbench {
namespace {

void checkVote(const PairVote &v, int modelCount)
{
    if (v.left < 0 || v.right < 0 || v.left >= modelCount || v.right >= modelCount)
        throw Error("vote on prompt " + std::to_string(v.prompt + 1) + ": model "
            + std::to_string(v.left) + " or " + std::to_string(v.right) + " is not one of the "
            + std::to_string(modelCount) + " compared");
    if (v.left == v.right)
        throw Error("vote on prompt " + std::to_string(v.prompt + 1) + ": model "
            + std::to_string(v.left) + " is judged against itself");
}

} // namespace

int winnerOf(const PairVote &vote)
{
    switch (vote.verdict) {
    case Verdict::LeftBetter:
        return vote.left;
    case Verdict::RightBetter:
        return vote.right;
    case Verdict::Tie:
    case Verdict::BothBad:
        break;
    }
    return -1;
}

Interval wilsonInterval(double successes, double trials, double z)
{
    if (!(trials > 0))
        return {};
    const double p = successes / trials;
    const double z2 = z * z;
    const double denominator = 1 + z2 / trials;
    const double centre = (p + z2 / (2 * trials)) / denominator;
    const double half
        = z * std::sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator;
    return { std::max(0.0, centre - half), std::min(1.0, centre + half) };
}

std::vector<ModelStanding> tallyVotes(const std::vector<PairVote> &votes, int modelCount)
{
    std::vector<ModelStanding> out(std::size_t(std::max(modelCount, 0)));
    for (const PairVote &v : votes) {
        checkVote(v, modelCount);
        ModelStanding &l = out[std::size_t(v.left)], &r = out[std::size_t(v.right)];
        switch (v.verdict) {
        case Verdict::LeftBetter:
            ++l.wins, ++r.losses;
            break;
        case Verdict::RightBetter:
            ++r.wins, ++l.losses;
            break;
        case Verdict::Tie:
            ++l.ties, ++r.ties;
            break;
        case Verdict::BothBad:
            ++l.bothBad, ++r.bothBad;
            break;
        }
    }
    for (ModelStanding &s : out) {
        const double n = s.comparisons();
        const double won = s.wins + 0.5 * s.ties;
        s.winRate = n > 0 ? won / n : std::numeric_limits<double>::quiet_NaN();
        s.interval = wilsonInterval(won, n);
    }
    return out;
}

std::vector<double> bradleyTerryElo(const std::vector<PairVote> &votes, int modelCount)
{
    const std::size_t m = std::size_t(std::max(modelCount, 0));
    std::vector<std::vector<double>> games(m, std::vector<double>(m, 0.0)); // n_ij
    std::vector<double> won(m, 0.0); // W_i
    for (const PairVote &v : votes) {
        checkVote(v, modelCount);
        if (v.verdict == Verdict::BothBad)
            continue;
        const auto l = std::size_t(v.left), r = std::size_t(v.right);
        games[l][r] += 1, games[r][l] += 1;
        const int winner = winnerOf(v);
        if (winner < 0)
            won[l] += 0.5, won[r] += 0.5;
        else
            won[std::size_t(winner)] += 1;
    }
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j)
            if (games[i][j] > 0) // the prior: one virtual tie
                games[i][j] += 1, games[j][i] += 1, won[i] += 0.5, won[j] += 0.5;

    std::vector<double> p(m, 1.0);
    for (int iteration = 0; iteration < 10000; ++iteration) {
        double change = 0;
        std::vector<double> next(m, 1.0);
        for (std::size_t i = 0; i < m; ++i) {
            double sum = 0;
            for (std::size_t j = 0; j < m; ++j)
                if (games[i][j] > 0)
                    sum += games[i][j] / (p[i] + p[j]);
            next[i] = sum > 0 ? won[i] / sum : 1.0;
        }
        // Strengths are defined up to a factor: fix their geometric mean at 1.
        double logMean = 0;
        for (double x : next)
            logMean += std::log(x) / double(m);
        for (std::size_t i = 0; i < m; ++i) {
            next[i] /= std::exp(logMean);
            change = std::max(change, std::abs(std::log(next[i] / p[i])));
        }
        p = next;
        if (change < 1e-12)
            break;
    }
    std::vector<double> elo(m);
    for (std::size_t i = 0; i < m; ++i)
        elo[i] = 1000 + 400 * std::log10(p[i]);
    return elo;
}

} // namespace chatbench
