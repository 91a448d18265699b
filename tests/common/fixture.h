#pragma once
// Access to ../shared/fixtures (reference data computed outside this project).

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace chatbench::test {

// The largest absolute difference; infinite when the lengths differ (a short vector must not
// pass by comparing only its prefix) or nothing was computed.
inline double maxDiff(const std::vector<float> &a, const std::vector<float> &b)
{
    if (a.empty() || a.size() != b.size())
        return HUGE_VAL;
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, double(std::abs(a[i] - b[i])));
    return worst;
}

// A file's bytes; empty when it cannot be read (the comparison that uses it then fails).
inline std::string fileBytes(const std::filesystem::path &file)
{
    std::ifstream in(file, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

inline std::filesystem::path fixturesDir()
{
    return CHATBENCH_FIXTURES_DIR;
}
inline std::filesystem::path tinyGpt2Dir()
{
    return fixturesDir() / "tiny-gpt2-zh";
}

inline const nlohmann::json &tinyGpt2Expected()
{
    static const nlohmann::json expected = [] {
        std::ifstream in(tinyGpt2Dir() / "expected.json");
        if (!in)
            throw std::runtime_error(
                "fixture expected.json not found under " + tinyGpt2Dir().string());
        return nlohmann::json::parse(in);
    }();
    return expected;
}

} // namespace chatbench::test
