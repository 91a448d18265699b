// Per-token decoding time at batch 1 with top-k 8 (GPT2-chitchat's chat setting), after a prompt
// of C tokens, with or without the KV cache. Prints one JSON object; "ms_per_token" averages the
// steps after the first (the first also encodes the prompt, reported as "first_token_ms").
// Usage: bench_generate (--model DIR | --preset tiny|small|base) [--context C] [--new N]
//                       [--no-cache] [--threads K]
// Presets are randomly initialised GPT-2s with n_positions 1024: tiny 4 layers, 4 heads, 256
// wide, vocab 8000; small 6/8/512/13317; base 12/12/768/21128 (ckiplab/gpt2-base-chinese).

#include "chatbench/language_model.h"
#include "chatbench/runtime.h"
#include "chatbench/sampling.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

static int run(int argc, char **argv)
{
    std::string model, presetName = "tiny";
    int context = 32, newTokens = 64, threads = 1;
    bool cache = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : "";
        if (a == "--no-cache") {
            cache = false;
            continue;
        }
        if (a == "--model")
            model = value;
        else if (a == "--preset")
            presetName = value;
        else if (a == "--context")
            context = std::atoi(value);
        else if (a == "--new")
            newTokens = std::atoi(value);
        else if (a == "--threads")
            threads = std::atoi(value);
        else {
            std::fprintf(stderr, "bench_generate: unknown option '%s'\n", a.c_str());
            return 2;
        }
        ++i;
    }
    if (context < 1 || newTokens < 2) {
        std::fprintf(stderr, "bench_generate: need --context >= 1 and --new >= 2\n");
        return 2;
    }
    threads = chatbench::configureThreads(threads);
    auto lm = model.empty()
        ? chatbench::LanguageModel::create(chatbench::Gpt2Config::preset(presetName), 1)
        : chatbench::LanguageModel::load(model);
    const auto vocab = std::int32_t(lm.config().vocabSize);
    std::vector<std::int32_t> prompt;
    for (int i = 0; i < context; ++i)
        prompt.push_back(std::int32_t((i * 7919 + 13) % vocab));

    chatbench::SamplingOptions options;
    options.topK = 8;
    options.maxNewTokens = newTokens;
    options.useCache = cache;
    chatbench::generate(lm, prompt, [&] { // warm-up: allocator, thread pool, first-call paths
        auto o = options;
        o.maxNewTokens = 4;
        return o;
    }());
    const auto g = chatbench::generate(lm, prompt, options).front();
    const double perToken = (g.tokenMs.back() - g.tokenMs.front()) / double(g.tokenMs.size() - 1);
    std::printf(
        "{\"model\": \"%s\", \"context\": %d, \"new\": %zu, \"cache\": %s, \"threads\": %d, "
        "\"ms_per_token\": %.3f, \"first_token_ms\": %.3f}\n",
        model.empty() ? presetName.c_str() : model.c_str(), context, g.tokenMs.size(),
        cache ? "true" : "false", threads, perToken, g.tokenMs.front());
    return 0;
}

int main(int argc, char **argv)
{
    try {
        return run(argc, argv);
    } catch (const std::exception &e) {
        std::cerr << "bench_generate: " << e.what() << "\n";
        return 1;
    }
}
