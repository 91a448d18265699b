// WordPiece encoding speed on generated, mostly-CJK chat lines (the data pipeline's workload:
// one encode call per utterance). Prints one JSON object; the figure is per core.
// Usage: bench_wordpiece [tokenizer-folder] [megabytes]

#include "tokenize/wordpiece_tokenizer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

int main(int argc, char **argv)
{
    const std::string dir = argc > 1 ? argv[1] : CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh";
    const double megabytes = argc > 2 ? std::atof(argv[2]) : 20.0;
    const auto tokenizer = chatbench::WordPieceTokenizer::load(dir);

    // The fixture vocabulary's CJK characters, plus a few characters it lacks ([UNK] path),
    // CJK punctuation, digits and English words, in the proportions of a Chinese chat corpus.
    std::vector<std::string> cjk,
        other = { "，", "。", "？", "！", "、", "ok", "2023", "chatbot", "哈哈", "😂", "Python" };
    for (const std::string &token : tokenizer->vocab())
        if (token.size() == 3 && static_cast<unsigned char>(token[0]) >= 0xE4
            && static_cast<unsigned char>(token[0]) <= 0xE9)
            cjk.push_back(token);
    cjk.push_back("翔"); // not in the vocabulary
    std::mt19937 rng(42);
    std::vector<std::string> lines;
    std::size_t bytes = 0;
    while (bytes < megabytes * 1e6) {
        std::string line;
        const int length = 5 + static_cast<int>(rng() % 40);
        for (int i = 0; i < length; ++i)
            line += rng() % 12 == 0 ? other[rng() % other.size()] : cjk[rng() % cjk.size()];
        bytes += line.size() + 1;
        lines.push_back(std::move(line));
    }

    std::vector<std::int32_t> ids;
    std::size_t tokens = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const std::string &line : lines) {
        ids.clear();
        tokenizer->encodeAppend(line, ids);
        tokens += ids.size();
    }
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("{\"mb_per_s\": %.2f, \"megabytes\": %.2f, \"seconds\": %.3f, \"lines\": %zu, "
                "\"tokens\": %zu}\n",
        bytes / 1e6 / seconds, bytes / 1e6, seconds, lines.size(), tokens);
    return 0;
}
