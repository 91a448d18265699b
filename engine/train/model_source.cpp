#include "chatbench/model_source.h"

#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/run_directory.h"
#include "chatbench/tokenizer.h"
#include "chatbench/trainer.h"

namespace fs = std::filesystem;

namespace chatbench {

CheckpointChoice CheckpointChoice::parse(std::string_view text)
{
    if (text == "latest")
        return {};
    if (text == "best")
        return { Kind::Best };
    if (text == "current")
        return { Kind::Current };
    const std::string_view prefix = "step-";
    if (text.substr(0, prefix.size()) == prefix && text.size() > prefix.size()
        && text.size() <= prefix.size() + 18
        && text.find_first_not_of("0123456789", prefix.size()) == std::string_view::npos)
        return atStep(std::stoll(std::string(text.substr(prefix.size()))));
    throw Error("checkpoint '" + std::string(text) + "': expected latest, best, current or step-N");
}

std::string CheckpointChoice::toString() const
{
    switch (kind) {
    case Kind::Best:
        return "best";
    case Kind::Step:
        return "step-" + std::to_string(step);
    case Kind::Current:
        return "current";
    case Kind::Latest:
        break;
    }
    return "latest";
}

namespace {

CheckpointInfo chooseCheckpoint(const fs::path &source, const CheckpointChoice &choice)
{
    const RunDirectory run = RunDirectory::open(source);
    const char *const when = " (a run writes one at each save_every and at each epoch's end)";
    if (choice.kind == CheckpointChoice::Kind::Best) {
        if (auto best = run.bestCheckpoint())
            return *best;
        throw Error::inFile(source, std::string("no best checkpoint yet") + when);
    }
    if (choice.kind == CheckpointChoice::Kind::Step) {
        std::string kept;
        for (const CheckpointInfo &c : run.checkpoints()) {
            if (c.step == choice.step)
                return c;
            kept += (kept.empty() ? "" : ", ") + c.dir.filename().string();
        }
        throw Error::inFile(source,
            "no checkpoint " + choice.toString() + " (kept: " + (kept.empty() ? "none" : kept)
                + ")");
    }
    if (auto latest = run.latestCheckpoint())
        return *latest;
    throw Error::inFile(source, std::string("no checkpoint yet") + when);
}

} // namespace

fs::path checkpointFolder(
    const fs::path &source, const CheckpointChoice &choice, std::optional<std::int64_t> *step)
{
    std::error_code ec;
    if (!fs::is_directory(source, ec))
        throw Error::inFile(source,
            fs::exists(source, ec) ? "not a folder (a run or model folder was expected)"
                                   : "no such folder");
    if (fs::exists(source / "run.json", ec)) {
        const CheckpointInfo info = chooseCheckpoint(source, choice);
        if (step)
            *step = info.step;
        return info.dir;
    }
    if (choice != CheckpointChoice {})
        throw Error::inFile(source,
            "not a run folder (no run.json), so it has no " + choice.toString()
                + " checkpoint: open it as the model it holds");
    if (!fs::exists(source / "config.json", ec))
        throw Error::inFile(source,
            "not a model folder: it has neither config.json (a Hugging Face checkpoint) nor "
            "run.json (a ChatBench run)");
    return source;
}

OpenedModel openModel(
    const fs::path &source, const CheckpointChoice &choice, const std::string &device)
{
    OpenedModel out;
    out.folder = checkpointFolder(source, choice, &out.step);
    auto model = std::make_shared<LanguageModel>(LanguageModel::load(out.folder, &out.report));
    if (device != "cpu")
        model->toDevice(device);
    out.model = std::move(model);
    out.tokenizer = loadTokenizer(out.folder);
    return out;
}

OpenedModel openCurrentWeights(const Trainer &trainer)
{
    OpenedModel out;
    out.model = trainer.snapshotModel();
    if (!out.model)
        throw Error::inFile(trainer.directory().path(),
            "the run has not built its model yet: there are no current weights to chat with");
    out.tokenizer = trainer.tokenizer();
    out.folder = trainer.directory().path();
    out.step = trainer.currentStep();
    return out;
}

} // namespace chatbench
