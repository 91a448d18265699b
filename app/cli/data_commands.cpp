// prepare: corpus -> normalised, tokenized, cached training data with its statistics.

#include "chatbench/corpus_preparation.h"
#include "chatbench/error.h"
#include "chatbench/tokenizer.h"
#include "commands.h"

namespace chatbench::cli {
namespace {

int prepare(const Arguments &args)
{
    args.allowOnly({ "corpus", "format", "tokenizer", "out", "convert", "max-len", "layout", "val",
        "seed", "threads", "fold-full-width", "no-clean", "lccc-split", "no-reuse", "download" });
    PrepareOptions options;
    options.read.format = args.word("format", CorpusFormat::Auto, parseCorpusFormat);
    options.read.lcccSplit = args.optional("lccc-split").value_or("");
    options.normalize.convert = args.optional("convert").value_or("");
    options.normalize.foldFullWidth = args.has("fold-full-width");
    options.normalize.cleanWhitespace = !args.has("no-clean");
    options.maxLen = args.integer("max-len", 150);
    if (options.maxLen < 2)
        throw UsageError("option --max-len: must be >= 2");
    options.layout = args.word("layout", DialogueLayout::Kind::Chitchat, DialogueLayout::parseKind);
    if (auto val = args.optional("val")) {
        const double v = args.real("val", 0);
        if (v < 0)
            throw UsageError("option --val: must be >= 0");
        if (val->find('.') != std::string::npos && v < 1)
            options.validFraction = v;
        else
            options.validCount = static_cast<std::uint64_t>(v);
    }
    options.seed = static_cast<std::uint64_t>(args.integer("seed", 42));
    options.threads = args.integer("threads", 0);
    options.reuseCache = !args.has("no-reuse");
    auto tokenizer = loadTokenizer(modelLocation(args, args.required("tokenizer")));
    const auto prepared
        = prepareCorpus(args.required("corpus"), *tokenizer, args.required("out"), options);
    printJson(nlohmann::json::parse(prepared.statsJson));
    return 0;
}

} // namespace

void addDataCommands(std::vector<Command> &out)
{
    out.push_back({ "prepare",
        "--corpus FILE [--format chitchat|lccc|jsonl] --tokenizer DIR --out DIR [--convert s2twp] "
        "[--max-len 150] [--layout chitchat|cdial] [--val N|FRACTION]",
        "Read a dialogue corpus, normalise it, tokenize it as GPT2-chitchat does ([CLS] u1 [SEP] "
        "u2 [SEP] ...)\nor, with --layout cdial, as CDial-GPT does ([CLS] [speaker1] u1 "
        "[speaker2] u2 ... [SEP], the oldest\nutterances dropped first when too long) and write "
        "OUT/train.tokens, OUT/valid.tokens and OUT/stats.json. Prints "
        "the statistics.\nOptions: --convert CONFIG (OpenCC: s2t, s2tw, s2twp, t2s, ...), "
        "--fold-full-width, --no-clean,\n--lccc-split NAME, --seed N (validation choice), "
        "--threads N, --no-reuse (ignore a matching cache).",
        { "fold-full-width", "no-clean", "no-reuse" }, prepare });
}

} // namespace chatbench::cli
