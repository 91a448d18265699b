// chat, eval: several models answering the same user turns, interactively or over a prompt set.

#include "chatbench/chat_session.h"
#include "chatbench/corpus_reader.h"
#include "chatbench/error.h"
#include "chatbench/evaluation.h"
#include "chatbench/model_source.h"
#include "chatbench/prompt_set.h"
#include "chatbench/run_config.h"
#include "chatbench/runtime.h"
#include "chatbench/text_metrics.h"
#include "chatbench/transcript.h"
#include "commands.h"

#include <filesystem>
#include <iostream>
#include <optional>
#include <unistd.h>

namespace chatbench::cli {
namespace {

const std::set<std::string> kSamplingOptions = { "threads", "temperature", "top-k", "top-p",
    "repetition-penalty", "no-repeat-ngram", "min-new", "max-new", "seed", "greedy", "no-cache",
    "max-history", "device", "precision", "checkpoint", "download" };

// Each --model folder (a model folder, or a run folder at --checkpoint) with its own tokenizer;
// named after the folder, numbered when two folders share a name, so every reply line says
// which model spoke.
std::vector<ChatModel> openChatModels(const Arguments &args)
{
    const auto dirs = args.all("model");
    if (dirs.empty())
        throw UsageError("missing required option --model");
    configureThreads(args.integer("threads", 0));
    const std::string device = deviceOption(args);
    const int maxHistory = args.integer("max-history", 3);
    if (maxHistory < 1)
        throw UsageError("option --max-history: must be >= 1");
    const CheckpointChoice checkpoint
        = args.word("checkpoint", CheckpointChoice {}, CheckpointChoice::parse);
    if (checkpoint.kind == CheckpointChoice::Kind::Current)
        throw UsageError("option --checkpoint: current weights exist only inside a training "
                         "process; use latest, best or step-N");
    std::vector<ChatModel> models;
    for (const auto &dir : dirs) {
        // The choice is for run folders; a model folder is its own one checkpoint.
        const std::string location = modelLocation(args, dir);
        const bool run = std::filesystem::exists(std::filesystem::path(location) / "run.json");
        const OpenedModel opened
            = openModel(location, run ? checkpoint : CheckpointChoice {}, device);
        reportWarnings(opened.report);
        ChatModel m;
        m.path = opened.folder.string();
        m.source = dir;
        m.step = opened.step.value_or(-1);
        auto folder = std::filesystem::path(dir).lexically_normal();
        if (folder.filename().empty())
            folder = folder.parent_path();
        m.name = folder.filename().empty() ? dir : folder.filename().string();
        for (const auto &other : models)
            if (other.name == m.name) {
                m.name += "#" + std::to_string(models.size() + 1);
                break;
            }
        m.model = opened.model;
        m.tokenizer = opened.tokenizer;
        m.sampling = samplingOptions(args, *m.model, m.tokenizer.get());
        m.maxHistoryLen = maxHistory;
        models.push_back(std::move(m));
    }
    return models;
}

int chat(const Arguments &args)
{
    auto allowed = kSamplingOptions;
    allowed.insert({ "model", "save" });
    args.allowOnly(allowed);
    ChatSession session(openChatModels(args));
    if (isatty(STDIN_FILENO))
        std::cerr << "chatbench-cli chat: type a line and press Enter; an empty line or 'quit' "
                     "ends the chat.\n";
    for (std::string line; std::getline(std::cin, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty() || line == "quit")
            break;
        const ChatTurn &turn = session.send(line);
        for (std::size_t m = 0; m < turn.replies.size(); ++m)
            std::cout << session.models()[m].name << ": " << turn.replies[m].text << "\n";
        std::cout.flush();
    }
    if (const auto file = args.optional("save")) {
        saveTranscript(Transcript::of(session), *file);
        std::cerr << "chatbench-cli chat: saved " << session.turns().size() << " turns to " << *file
                  << "\n";
    }
    return 0;
}

// eval --data: loss, perplexity and token accuracy of each model on a prepared token cache.
int evalOnData(const Arguments &args)
{
    args.allowOnly({ "model", "data", "batch-size", "loss", "threads", "device", "download" });
    configureThreads(args.integer("threads", 0));
    const std::string device = deviceOption(args);
    const std::string data = args.required("data");
    const LossScope loss = args.word("loss", LossScope::All, parseLossScope);
    nlohmann::json results = nlohmann::json::array();
    for (const std::string &dir : args.all("model")) {
        const std::string folder = modelLocation(args, dir);
        const LanguageModel model = loadModel(folder, device);
        std::optional<DialogueLayout> layout;
        if (loss == LossScope::Response) // the model's own layout says where a response starts
            layout.emplace(model.config().dialogueLayout, *loadTokenizer(folder));
        const EvaluationResult r = evaluateOnCache(
            model, data, args.integer("batch-size", 8), layout ? &*layout : nullptr);
        results.push_back({ { "model", dir }, { "data", data }, { "loss", number(r.loss) },
            { "ppl", number(r.ppl) }, { "acc", number(r.acc) }, { "tokens", r.tokens },
            { "examples", r.examples }, { "loss_on", toString(loss) } });
    }
    if (results.empty())
        throw UsageError("missing required option --model");
    printJson(results.size() == 1 ? results[0] : nlohmann::json { { "models", results } });
    return 0;
}

int eval(const Arguments &args)
{
    if (args.has("data"))
        return evalOnData(args);
    auto allowed = kSamplingOptions;
    allowed.insert({ "model", "prompts" });
    args.allowOnly(allowed);
    const std::string promptFile = args.required("prompts");
    const auto prompts = readPromptSet(promptFile, PromptFormat::Dialogues).dialogues;
    std::vector<std::string> references;
    for (const auto &p : prompts)
        references.push_back(p.reference);

    nlohmann::json results = nlohmann::json::array();
    for (const ChatModel &m : openChatModels(args)) {
        const auto replies = generateReplies(m, prompts);
        const TextMetrics t = evaluateReplies(replies, references);
        results.push_back(
            { { "model", m.path }, { "name", m.name }, { "distinct_1", number(t.distinct1) },
                { "distinct_2", number(t.distinct2) }, { "bleu_2", number(t.bleu2) },
                { "bleu_4", number(t.bleu4) }, { "mean_length", number(t.meanLength) },
                { "repetition_rate", number(t.repetitionRate) }, { "n", replies.size() } });
    }
    printJson({ { "prompts", promptFile }, { "models", results } });
    return 0;
}

// The one other command that writes plain text: the export is the output, ready to redirect.
int exportTranscript(const Arguments &args)
{
    args.allowOnly({ "transcript", "format", "title" });
    const Transcript t = loadTranscript(args.required("transcript"));
    const TranscriptFormat format
        = args.word("format", TranscriptFormat::Markdown, parseTranscriptFormat);
    std::cout << renderTranscript(
        t, format, args.optional("title").value_or("ChatBench transcript"));
    return 0;
}

#define CHATBENCH_SAMPLING_SYNOPSIS                                                                \
    "         [--max-history 3] [--greedy] [--max-new N] [--temperature T] [--top-k K]\n"          \
    "         [--top-p P] [--repetition-penalty R] [--no-repeat-ngram N] [--min-new N]\n"          \
    "         [--seed S] [--no-cache] [--precision fp32|bf16] [--threads K]"

} // namespace

void addChatCommands(std::vector<Command> &out)
{
    out.push_back({ "chat",
        "--model DIR [--model DIR2 ...] [--checkpoint latest|best|step-N] [--save "
        "FILE]\n" CHATBENCH_SAMPLING_SYNOPSIS,
        "Chat in the terminal as GPT2-chitchat's interact.py does: each line read from stdin is\n"
        "a user turn. DIR is a model folder, a repo id of the Hugging Face cache (ORG/NAME[@REV];\n"
        "--download fetches it when missing), or a run folder opened at --checkpoint (default\n"
        "latest; best: the lowest validation loss). Every model answers from its own history of\n"
        "the last --max-history utterances, and a 'NAME: reply' line is printed per model. An "
        "empty line, 'quit' or\n"
        "end of input ends the chat; --save FILE then writes the transcript (JSON). Sampling\n"
        "as generate; model i's reply k uses seed S+k.",
        { "greedy", "no-cache" }, chat });
    out.push_back({ "eval",
        "--model DIR [--model DIR2 ...] (--prompts FILE | --data "
        "CACHE)\n" CHATBENCH_SAMPLING_SYNOPSIS,
        "With --data CACHE (a prepared train.tokens / valid.tokens): print each model's loss\n"
        "(token-weighted mean NLL), perplexity, token accuracy and counted tokens; options\n"
        "--batch-size N, --threads K, --loss all|response (response: the final utterance of\n"
        "each example only, located by the model's dialogue layout, as a run with that loss\n"
        "validates). With --prompts:\n"
        "Generate a reply per dialogue of FILE (GPT2-chitchat text: one utterance per line, a\n"
        "blank line between dialogues; the last utterance is the reference reply, the ones\n"
        "before it the context) with every model, and print per model its distinct-1/2,\n"
        "BLEU-2/4 (characters, NLTK method1), mean reply length, repetition rate and n.\n"
        "Dialogue i is sampled with seed S+i.",
        { "greedy", "no-cache" }, eval });
    out.push_back({ "export", "--transcript FILE [--format markdown|table|html|json] [--title T]",
        "Print a saved chat transcript (chat --save) as the reference report's demo blocks\n"
        "(markdown: per model '## Demo - NAME' and a fenced user:/chatbot: block), a side-by-\n"
        "side Markdown table, or a standalone HTML page.",
        {}, exportTranscript });
}

} // namespace chatbench::cli
