#pragma once
// A small learnable dialogue corpus over the fixture vocabulary's characters, for tests that
// train: utterances are runs of a fixed cycle of characters, so a model that trains at all
// shows a clearly falling loss within a few dozen steps.

#include "common/fixture.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace chatbench::test {

// Single CJK characters of the fixture's vocabulary, in vocabulary order.
inline std::vector<std::string> fixtureCharacters()
{
    std::ifstream in(tinyGpt2Dir() / "vocab.txt");
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        if (line.size() == 3 && static_cast<unsigned char>(line[0]) >= 0xE4
            && static_cast<unsigned char>(line[0]) <= 0xE9)
            out.push_back(line);
    return out;
}

// GPT2-chitchat text: 2-4 utterances of 3-10 characters per dialogue; deterministic per seed.
inline std::filesystem::path writeTrainingCorpus(
    const std::filesystem::path &file, int dialogues, unsigned seed)
{
    const auto chars = fixtureCharacters();
    const std::size_t cycle = std::min<std::size_t>(chars.size(), 40);
    std::ofstream out(file);
    unsigned state = seed;
    auto next = [&] {
        state = state * 1103515245u + 12345u;
        return (state >> 16) & 0x7fff;
    };
    for (int d = 0; d < dialogues; ++d) {
        const int turns = 2 + int(next() % 3);
        for (int t = 0; t < turns; ++t) {
            const std::size_t start = next() % cycle;
            const int len = 3 + int(next() % 8);
            for (int i = 0; i < len; ++i)
                out << chars[(start + std::size_t(i)) % cycle];
            out << "\n";
        }
        out << "\n";
    }
    return file;
}

} // namespace chatbench::test
