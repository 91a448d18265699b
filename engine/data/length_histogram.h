#pragma once
// Sample lengths in fixed-width bins; the last bin collects everything longer.

#include <algorithm>
#include <cstdint>
#include <vector>

namespace chatbench {

class LengthHistogram
{
public:
    static constexpr int kBinWidth = 16;
    static constexpr std::size_t kBins = 64; // up to 1024 tokens, then one overflow bin

    void add(std::size_t length)
    {
        const std::size_t bin = std::min(length / kBinWidth, kBins);
        if (m_counts.size() <= bin)
            m_counts.resize(bin + 1, 0);
        ++m_counts[bin];
    }

    void merge(const LengthHistogram &other)
    {
        if (m_counts.size() < other.m_counts.size())
            m_counts.resize(other.m_counts.size(), 0);
        for (std::size_t i = 0; i < other.m_counts.size(); ++i)
            m_counts[i] += other.m_counts[i];
    }

    // counts()[i]: lengths in [i * kBinWidth, (i + 1) * kBinWidth); trailing empty bins omitted.
    const std::vector<std::uint64_t> &counts() const { return m_counts; }

private:
    std::vector<std::uint64_t> m_counts;
};

} // namespace chatbench
