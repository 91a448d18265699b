// tokenize, logits, generate: the commands that exercise a checkpoint and its tokenizer.

#include "chatbench/language_model.h"
#include "chatbench/runtime.h"
#include "chatbench/tokenizer.h"
#include "commands.h"

#include <iostream>

namespace chatbench::cli {
namespace {

LanguageModel openModel(const Arguments &args)
{
    configureThreads(args.integer("threads", 0));
    CheckpointReport report;
    auto model = LanguageModel::load(args.required("model"), &report);
    for (const auto &warning : report.warnings)
        std::cerr << "chatbench-cli: warning: " << report.weightsFile.string() << ": " << warning
                  << "\n";
    return model;
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
    auto tokenizer = loadTokenizer(args.optional("tokenizer").value_or(args.required("model")));
    return tokenizer->encode(args.required("text"), /*addSpecialTokens=*/true);
}

int tokenize(const Arguments &args)
{
    args.allowOnly({ "tokenizer", "text" });
    auto tokenizer = loadTokenizer(args.required("tokenizer"));
    const std::string text = args.required("text");
    printJson({ { "tokens", tokenizer->tokenize(text) }, { "ids", tokenizer->encode(text, false) },
        { "ids_with_special", tokenizer->encode(text, true) } });
    return 0;
}

int logits(const Arguments &args)
{
    args.allowOnly({ "model", "ids", "text", "tokenizer", "threads" });
    auto model = openModel(args);
    TokenScores s = model.score(promptIds(args));
    printJson({ { "last_logits", s.lastLogits }, { "argmax", s.argmax }, { "loss", number(s.loss) },
        { "accuracy", number(s.accuracy) }, { "n_correct", s.nCorrect },
        { "n_counted", s.nCounted } });
    return 0;
}

int generate(const Arguments &args)
{
    args.allowOnly(
        { "model", "ids", "text", "tokenizer", "max-new", "greedy", "no-cache", "threads" });
    if (!args.has("greedy"))
        throw UsageError("only --greedy decoding is available in this version");
    const int maxNew = args.integer("max-new", 20);
    if (maxNew < 0)
        throw UsageError("option --max-new: must be >= 0");
    auto model = openModel(args);
    printJson({ { "ids", model.generateGreedy(promptIds(args), maxNew, !args.has("no-cache")) } });
    return 0;
}

} // namespace

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
    out.push_back(
        { "generate", "--model DIR (--ids LIST | --text TEXT) --greedy [--max-new N] [--no-cache]",
            "Continue the ids with greedy decoding (KV cache unless --no-cache).\n"
            "Prints {\"ids\": [the new ids]}.",
            { "greedy", "no-cache" }, generate });
}

} // namespace chatbench::cli
