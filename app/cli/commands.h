#pragma once
// chatbench-cli's commands. Each takes its options, prints one JSON object on stdout and
// returns the exit code; failures throw chatbench::Error (exit 1) or cli::UsageError (exit 2).

#include "arguments.h"
#include "chatbench/checkpoint_report.h"
#include "chatbench/hub.h"
#include "chatbench/language_model.h"
#include "chatbench/sampling.h"
#include "chatbench/tokenizer.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace chatbench::cli {

struct Command
{
    const char *name;
    const char *synopsis;
    const char *help;
    std::set<std::string> flags; // options that take no value
    std::function<int(const Arguments &)> run;
    std::size_t positionals = 0; // plain arguments it takes (download's repo id)
};

const std::vector<Command> &commands();

// One JSON object, one line, on stdout; NaN and inf become null.
void printJson(const nlohmann::json &object);
// nlohmann writes NaN as null already; this makes the intent explicit at call sites.
nlohmann::json number(double value);

// Loads a checkpoint folder, reporting the loader's warnings on stderr.
LanguageModel loadModel(const std::string &dir, const std::string &device = "cpu");
// What --model, --tokenizer or --init names, as a folder: a path, or a repo id (ORG/NAME[@REV])
// from the Hugging Face cache; a repo id the cache lacks is fetched first with --download, and
// is otherwise an error naming the download command.
std::string modelLocation(const Arguments &args, const std::string &pathOrRepoId);
// Fetches a model into the Hub cache with a progress line on stderr (quiet: none).
DownloadResult downloadWithProgress(const HubClient &hub, const RepoId &repo,
    const std::vector<std::string> &include = {}, bool quiet = false);
// The loader's warnings (legacy buffers, an untied lm_head, ...), one stderr line each.
void reportWarnings(const CheckpointReport &report);
// --device (default cpu), checked to exist here: a missing GPU fails before any work.
std::string deviceOption(const Arguments &args);
// generate's sampling options (--greedy, --temperature, --top-k, ... see its help); the special
// token defaults come from the tokenizer, or from the model's config without one.
SamplingOptions samplingOptions(
    const Arguments &args, const LanguageModel &model, const Tokenizer *tokenizer);

// The command groups, each in its own file.
void addModelCommands(std::vector<Command> &out);
void addDataCommands(std::vector<Command> &out);
void addChatCommands(std::vector<Command> &out);
void addTrainCommands(std::vector<Command> &out);
void addBenchCommands(std::vector<Command> &out);
void addHubCommands(std::vector<Command> &out);
void addDemoCommands(std::vector<Command> &out); // builds with the report library only
void addReportCommands(std::vector<Command> &out); // builds with the report library only

} // namespace chatbench::cli
