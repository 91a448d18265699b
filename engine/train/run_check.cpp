#include "chatbench/run_check.h"

#include "chatbench/corpus_reader.h"
#include "chatbench/error.h"
#include "chatbench/tokenizer.h"
#include "train/model_factory.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace chatbench {

namespace {

// A folder or a cached repo id's snapshot; throws chatbench::Error naming what is missing.
fs::path located(const std::string &location, const HubSettings &hub)
{
    const fs::path folder = resolveModelFolder(location, hub);
    std::error_code ec;
    if (!fs::exists(folder, ec))
        throw Error(folder.string() + ": no such folder, and not a repo id (org/name)");
    if (!fs::is_directory(folder, ec))
        throw Error(folder.string() + " is not a folder");
    return folder;
}

} // namespace

std::vector<RunProblem> checkRunConfig(const RunConfig &config, const HubSettings &hub)
{
    std::vector<RunProblem> problems;
    try {
        config.validate("run.json");
    } catch (const Error &e) {
        problems.push_back({ "run.json", e.what() });
        return problems;
    }
    const auto check = [&](const char *field, const auto &body) {
        try {
            body();
            return true;
        } catch (const std::exception &e) {
            problems.push_back({ field, e.what() });
            return false;
        }
    };
    check("data.corpus", [&] {
        std::error_code ec;
        if (fs::is_directory(config.corpus, ec))
            throw Error(config.corpus + ": is a folder, not a corpus file");
        detectCorpusFormat(config.corpus);
    });
    RunConfig resolved = config; // repo ids as their cache folders
    const bool pretrained = config.init != "scratch";
    const bool initOk = !pretrained || check("model.init", [&] {
        resolved.init = located(config.init, hub).string();
        const fs::path file = fs::path(resolved.init) / "config.json";
        if (!fs::exists(file))
            throw Error(resolved.init + ": no config.json (a Hugging Face GPT-2 folder has one)");
        Gpt2Config::fromJsonFile(file);
    });
    std::unique_ptr<Tokenizer> tokenizer;
    const bool tokenizerOk = check("tokenizer.path", [&] {
        if (!config.tokenizer.empty())
            tokenizer = loadTokenizer(located(config.tokenizer, hub));
        else if (pretrained && initOk)
            tokenizer = loadTokenizer(resolved.init);
    });
    // Without a tokenizer a scratch run builds one from the corpus, sized by the preset.
    if (!initOk || !tokenizerOk || !tokenizer)
        return problems;
    Gpt2Config model;
    if (!check("model", [&] { model = plannedGpt2Config(resolved, *tokenizer); }))
        return problems;
    for (RunProblem &p : fitProblems(config, *tokenizer, model))
        problems.push_back(std::move(p));
    return problems;
}

std::optional<ModelShape> pretrainedShape(const std::string &location, const HubSettings &hub)
{
    try {
        const Gpt2Config c = Gpt2Config::fromJsonFile(located(location, hub) / "config.json");
        return ModelShape { c.nLayer, c.nHead, c.nEmbd, c.nPositions, c.vocabSize };
    } catch (const std::exception &) {
        return std::nullopt;
    }
}

} // namespace chatbench
