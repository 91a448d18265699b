#pragma once
// Access to ../shared/fixtures (reference data computed outside this project).

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace chatbench::test {

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
