#include "chatbench/demo_experiment.h"

#include "chatbench/atomic_file.h"
#include "chatbench/corpus_reader.h"
#include "chatbench/error.h"
#include "chatbench/run_directory.h"
#include "data/content_hash.h"
#include "tokenize/wordpiece_vocab_builder.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace fs = std::filesystem;

namespace chatbench {

namespace {

fs::path defaultCacheDir()
{
    if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return fs::path(xdg) / "chatbench";
    if (const char *home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".cache" / "chatbench";
    return fs::temp_directory_path() / "chatbench-cache";
}

std::int64_t scaled(double value, double scale)
{
    return std::max<std::int64_t>(1, std::llround(value * scale));
}

// The demo's model size: small enough to pretrain in about two minutes on two cores, large
// enough that pretraining visibly helps.
RunConfig demoModel(RunConfig c, const fs::path &tokenizer)
{
    c.preset = "tiny";
    c.nLayer = 4;
    c.nHead = 4;
    c.nEmbd = 192;
    c.nPositions = 128;
    c.tokenizer = tokenizer.string();
    c.maxLen = 128;
    c.dropout = 0.1;
    c.threads = 0;
    return c;
}

} // namespace

fs::path defaultDemoDialogues()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    const fs::path installed
        = exe.parent_path().parent_path() / "share" / "chatbench" / "demo" / "dialogues.txt";
    if (!ec && fs::exists(installed))
        return installed;
    return fs::path(CHATBENCH_RESOURCES_DIR) / "demo" / "dialogues.txt";
}

DemoPlan prepareDemo(const DemoOptions &optionsIn, const TrainingCallback &onBaseEvent)
{
    DemoOptions options = optionsIn;
    if (options.dialogues.empty())
        options.dialogues = defaultDemoDialogues();
    if (!fs::is_regular_file(options.dialogues))
        throw Error::inFile(options.dialogues, "demo dialogue corpus not found");
    DemoPlan plan;
    const fs::path ws = fs::absolute(options.workspace).lexically_normal();
    fs::create_directories(ws / "data");

    // 1. fortunes-zh, cleaned and converted to Traditional Chinese (Taiwan phrasing).
    plan.fortuneCorpus = ws / "data" / "fortunes-zh-tw.txt";
    plan.fortunes = writeFortuneCorpus(
        installedFortuneFiles(), plan.fortuneCorpus, NormalizeOptions { true, false, "s2twp" });

    // 2. One WordPiece vocabulary for every model, built from both corpora.
    std::vector<std::string> lines;
    CorpusReadOptions read;
    read.format = CorpusFormat::Chitchat;
    for (const fs::path &file : { plan.fortuneCorpus, options.dialogues })
        readCorpus(file, read, [&](Dialogue &&d) {
            if (file == options.dialogues) {
                ++plan.dialogues;
                plan.dialogueUtterances += d.utterances.size();
            }
            for (auto &u : d.utterances)
                lines.push_back(std::move(u));
        });
    WordPieceVocabOptions vocab;
    vocab.vocabSize = 6000;
    plan.tokenizerDir = ws / "tokenizer";
    buildWordPieceTokenizer(lines, vocab).save(plan.tokenizerDir);

    // 3. The base model, cached by what determines it.
    RunConfig base = demoModel(RunConfig {}, plan.tokenizerDir);
    base.name = "demo-base";
    base.corpus = plan.fortuneCorpus.string();
    base.maxLen = 96;
    base.batchSize = 16;
    base.gradAccum = 1;
    base.lr = 1e-3;
    base.warmupSteps = 40;
    base.schedule = Schedule::Cosine;
    base.maxSteps = scaled(800, options.scale);
    base.validCount = 200;
    base.evalEvery = base.saveEvery = std::max<std::int64_t>(1, base.maxSteps / 4);
    base.keepLast = 1;
    base.threads = options.threads;
    ContentHash key;
    key.update(readSmallFile(plan.fortuneCorpus));
    key.update(readSmallFile(plan.tokenizerDir / "vocab.txt"));
    RunConfig keyed = base;
    keyed.corpus = keyed.tokenizer = keyed.name = "";
    keyed.threads = 0;
    key.update(keyed.toJsonText());
    std::ostringstream hex;
    hex << std::hex << key.digest();
    const fs::path cache = (options.cacheDir.empty() ? defaultCacheDir() : options.cacheDir)
        / ("demo-base-" + hex.str());
    // The cached run reads its corpus and tokenizer from the cache, not from this workspace.
    fs::create_directories(cache);
    if (!fs::exists(cache / "run.json")) {
        fs::copy_file(
            plan.fortuneCorpus, cache / "fortunes-zh-tw.txt", fs::copy_options::overwrite_existing);
        fs::create_directories(cache / "tokenizer");
        for (const auto &f : fs::directory_iterator(plan.tokenizerDir))
            fs::copy_file(f.path(), cache / "tokenizer" / f.path().filename(),
                fs::copy_options::overwrite_existing);
    }
    base.corpus = (cache / "fortunes-zh-tw.txt").string();
    base.tokenizer = (cache / "tokenizer").string();
    const fs::path baseRun = cache / "run";
    std::unique_ptr<Trainer> trainer = fs::exists(baseRun / "run.json")
        ? Trainer::resume(baseRun)
        : Trainer::create(base, baseRun);
    trainer->setCallback(onBaseEvent);
    trainer->setUp();
    plan.baseFromCache = !trainer->canStep();
    trainer->run();
    if (trainer->state() != RunState::Finished)
        throw Error::inFile(baseRun,
            std::string("the demo base model did not finish training (")
                + toString(trainer->state()) + ")");
    plan.baseCheckpoint = RunDirectory::open(baseRun).latestCheckpoint()->dir;

    // 4. The three runs of the reference experiment, same data and schedule.
    RunConfig dialog = demoModel(RunConfig {}, plan.tokenizerDir);
    dialog.corpus = fs::absolute(options.dialogues).string();
    dialog.batchSize = 16;
    dialog.gradAccum = 1;
    dialog.lr = 1e-3;
    dialog.warmupSteps = 20;
    dialog.epochs = int(scaled(5, options.scale));
    dialog.validCount = 40;
    dialog.keepLast = 2;
    dialog.threads = options.threads;
    dialog.cacheDir = (ws / "data" / "dialogues").string();

    RunConfig scratch = dialog;
    scratch.name = "scratch";
    RunConfig tuned = dialog;
    tuned.name = "fine-tuned";
    tuned.init = plan.baseCheckpoint.string();
    tuned.tokenizer.clear();
    RunConfig encdec = dialog;
    encdec.name = "gpt2-transformer";
    encdec.kind = ModelKind::Gpt2Transformer;
    encdec.init = plan.baseCheckpoint.string();
    encdec.encoderInit = EncoderInit::Blocks;
    encdec.tokenizer.clear();
    plan.runs = { scratch, tuned, encdec };
    for (const auto &r : plan.runs)
        plan.runDirs.push_back(ws / "runs" / r.name);
    return plan;
}

} // namespace chatbench
