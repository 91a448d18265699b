// tokenize, logits, generate: the commands that exercise a checkpoint and its tokenizer.

#include "chatbench/device.h"
#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/runtime.h"
#include "chatbench/sampling.h"
#include "chatbench/tokenizer.h"
#include "commands.h"

#include <iostream>

namespace chatbench::cli {

void reportWarnings(const CheckpointReport &report)
{
    for (const auto &warning : report.warnings)
        std::cerr << "chatbench-cli: warning: " << report.weightsFile.string() << ": " << warning
                  << "\n";
}

LanguageModel loadModel(const std::string &dir, const std::string &device)
{
    CheckpointReport report;
    auto model = LanguageModel::load(dir, &report);
    reportWarnings(report);
    if (device != "cpu")
        model.toDevice(device);
    return model;
}

std::string deviceOption(const Arguments &args)
{
    const std::string device = args.optional("device").value_or("cpu");
    requireDevice(device);
    return device;
}

namespace {

LanguageModel openModel(const Arguments &args)
{
    configureThreads(args.integer("threads", 0));
    return loadModel(modelLocation(args, args.required("model")), deviceOption(args));
}

std::vector<std::int32_t> promptIds(const Arguments &args)
{
    const bool hasIds = args.has("ids"), hasText = args.has("text");
    if (hasIds == hasText)
        throw UsageError("give exactly one of --ids LIST or --text TEXT");
    if (hasIds) {
        auto ids = parseIdList("ids", args.required("ids"));
        return { ids.begin(), ids.end() };
    }
    // GPT2-chitchat's chat prompt: [CLS] utterance [SEP]
    auto tokenizer = loadTokenizer(
        modelLocation(args, args.optional("tokenizer").value_or(args.required("model"))));
    return tokenizer->encode(args.required("text"), /*addSpecialTokens=*/true);
}

int tokenize(const Arguments &args)
{
    args.allowOnly({ "tokenizer", "text", "download" });
    auto tokenizer = loadTokenizer(modelLocation(args, args.required("tokenizer")));
    const std::string text = args.required("text");
    printJson({ { "tokens", tokenizer->tokenize(text) }, { "ids", tokenizer->encode(text, false) },
        { "ids_with_special", tokenizer->encode(text, true) } });
    return 0;
}

int logits(const Arguments &args)
{
    args.allowOnly({ "model", "ids", "text", "tokenizer", "threads", "device", "download" });
    auto model = openModel(args);
    TokenScores s = model.score(promptIds(args));
    printJson({ { "last_logits", s.lastLogits }, { "argmax", s.argmax }, { "loss", number(s.loss) },
        { "accuracy", number(s.accuracy) }, { "n_correct", s.nCorrect },
        { "n_counted", s.nCounted } });
    return 0;
}

// The tokenizer of --tokenizer or the model folder; null when there is none and no text needs it.
std::unique_ptr<Tokenizer> optionalTokenizer(const Arguments &args)
{
    try {
        return loadTokenizer(
            modelLocation(args, args.optional("tokenizer").value_or(args.required("model"))));
    } catch (const Error &) {
        if (args.has("text") || args.has("tokenizer"))
            throw;
        return nullptr;
    }
}

nlohmann::json generationJson(const Generation &g, const Tokenizer *tokenizer)
{
    nlohmann::json out = { { "ids", g.ids }, { "stop_reason", toString(g.stopReason) } };
    if (tokenizer)
        out["text"] = tokenizer->decode(g.ids);
    return out;
}

int generate(const Arguments &args)
{
    args.allowOnly(
        { "model", "ids", "text", "tokenizer", "max-new", "greedy", "no-cache", "threads", "device",
            "temperature", "top-k", "top-p", "repetition-penalty", "no-repeat-ngram", "min-new",
            "seed", "num-candidates", "no-stop", "precision", "download" });
    auto model = openModel(args);
    const auto tokenizer = optionalTokenizer(args);
    const SamplingOptions options = samplingOptions(args, model, tokenizer.get());
    const auto candidates = chatbench::generate(model, promptIds(args), options);
    nlohmann::json out = generationJson(candidates.front(), tokenizer.get());
    if (options.numCandidates > 1) {
        out["candidates"] = nlohmann::json::array();
        for (const auto &c : candidates)
            out["candidates"].push_back(generationJson(c, tokenizer.get()));
    }
    printJson(out);
    return 0;
}

} // namespace

// --greedy: the fixture's reference (argmax, nothing banned, no stop). Otherwise GPT2-chitchat's
// chat decoding: top-k 8, [UNK]/[PAD]/[CLS] banned, stop at [SEP]. Explicit options override.
SamplingOptions samplingOptions(
    const Arguments &args, const LanguageModel &model, const Tokenizer *tokenizer)
{
    const bool greedy = args.has("greedy");
    for (const char *name : { "temperature", "top-k", "top-p", "seed", "num-candidates" })
        if (greedy && args.has(name))
            throw UsageError(std::string("--greedy and --") + name + " do not go together");
    SamplingOptions o = SamplingOptions::greedy(args.integer("max-new", 20));
    if (!greedy) {
        o.temperature = args.real("temperature", 1.0);
        o.topK = args.integer("top-k", 8);
        o.topP = args.real("top-p", 1.0);
        if (tokenizer)
            o.setSpecialTokenDefaults(tokenizer->specialIds());
        else
            o.setSpecialTokenDefaults(model.config());
        const auto seed = args.optional("seed").value_or("0");
        if (seed.empty() || seed.find_first_not_of("0123456789") != std::string::npos)
            throw UsageError("option --seed: expected a non-negative integer, got '" + seed + "'");
        o.seed = std::stoull(seed);
        o.numCandidates = args.integer("num-candidates", 1);
    }
    if (args.has("no-stop"))
        o.stopIds.clear();
    o.repetitionPenalty = args.real("repetition-penalty", 1.0);
    o.noRepeatNgramSize = args.integer("no-repeat-ngram", 0);
    o.minNewTokens = args.integer("min-new", 0);
    o.useCache = !args.has("no-cache");
    o.precision = args.word("precision", Precision::Fp32, parsePrecision);
    if (o.maxNewTokens < 0)
        throw UsageError("option --max-new: must be >= 0");
    return o;
}

void addModelCommands(std::vector<Command> &out)
{
    out.push_back({ "tokenize", "--tokenizer DIR --text TEXT",
        "Tokenize TEXT with the tokenizer stored in DIR (vocab.txt or a SentencePiece "
        "model).\nPrints {\"tokens\", \"ids\", \"ids_with_special\"}.",
        {}, tokenize });
    out.push_back({ "logits", "--model DIR (--ids 101,2,3 | --text TEXT) [--threads K]",
        "Run the model on the ids (labels = the ids) and print the last position's "
        "logits,\nthe argmax at every position, and GPT2-chitchat's loss and token "
        "accuracy.",
        {}, logits });
    out.push_back({ "generate",
        "--model DIR (--ids LIST | --text TEXT) [--greedy] [--max-new N] [--temperature T]\n"
        "         [--top-k K] [--top-p P] [--repetition-penalty R] [--no-repeat-ngram N]\n"
        "         [--min-new N] [--seed S] [--num-candidates N] [--no-stop] [--no-cache]\n"
        "         [--precision fp32|bf16]",
        "Continue the ids. By default as GPT2-chitchat chats: top-k 8, temperature 1, [UNK],\n"
        "[PAD] and [CLS] banned, stop at [SEP] (eos without a tokenizer). --greedy: argmax,\n"
        "nothing banned, no stop token (the reference decoding). Candidate i uses seed S+i.\n"
        "--precision bf16: cached decoding steps read bfloat16 copies of the weight matrices\n"
        "(half the memory traffic; vectors, sums and the cache stay float32).\n"
        "Prints {\"ids\", \"stop_reason\", \"text\" (with a tokenizer), \"candidates\" (N > 1)}.",
        { "greedy", "no-cache", "no-stop" }, generate });
}

} // namespace chatbench::cli
