#include "chatbench/trainer.h"

#include "chatbench/atomic_file.h"
#include "chatbench/corpus_preparation.h"
#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/probe_log.h"
#include "chatbench/prompt_set.h"
#include "chatbench/runtime.h"
#include "chatbench/token_cache.h"
#include "chatbench/tokenizer.h"
#include "io/safetensors.h"
#include "model/device.h"
#include "train/distributed.h"
#include "train/evaluation.h"
#include "train/flat_adamw.h"
#include "train/lr_schedule.h"
#include "train/model_factory.h"
#include "train/trainer_progress.h"

#include <ATen/CPUGeneratorImpl.h>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <torch/cuda.h>

namespace fs = std::filesystem;

namespace chatbench {

namespace {

using Clock = std::chrono::steady_clock;

std::string toHex(const torch::Tensor &bytes)
{
    static const char digits[] = "0123456789abcdef";
    auto t = bytes.contiguous();
    const auto *p = t.data_ptr<std::uint8_t>();
    std::string out;
    out.reserve(std::size_t(t.numel()) * 2);
    for (std::int64_t i = 0; i < t.numel(); ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out;
}

torch::Tensor fromHex(const std::string &hex)
{
    auto t = torch::empty({ std::int64_t(hex.size() / 2) }, torch::kUInt8);
    auto *p = t.data_ptr<std::uint8_t>();
    auto nibble = [&](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        throw Error("trainer_state.json: 'rng_state' is not hexadecimal");
    };
    for (std::size_t i = 0; i < hex.size() / 2; ++i)
        p[i] = std::uint8_t(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return t;
}

// Each run draws dropout masks from its own generator state, swapped into torch's default CPU
// generator for the duration of its step, so interleaved runs do not perturb each other and a
// resumed run draws the masks the uninterrupted one would have.
class RngScope
{
public:
    explicit RngScope(std::string &state) : m_state(state)
    {
        at::Generator gen = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(gen.mutex());
        m_saved = gen.get_state();
        gen.set_state(fromHex(m_state));
    }
    ~RngScope()
    {
        at::Generator gen = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(gen.mutex());
        m_state = toHex(gen.get_state());
        gen.set_state(m_saved);
    }

private:
    std::string &m_state;
    torch::Tensor m_saved;
};

// run.json's model.init or tokenizer.path naming a Hugging Face repo (no such folder here).
bool isRepoId(const std::string &location)
{
    std::error_code ec;
    return RepoId::parse(location) && !fs::exists(location, ec);
}

} // namespace

struct Trainer::Impl
{
    RunDirectory dir;
    RunConfig config;
    TrainerOptions options;
    bool resuming = false;
    TrainingCallback callback;
    RunState state = RunState::Idle;

    std::shared_ptr<Tokenizer> tokenizer;
    std::unique_ptr<TokenCache> trainCache, validCache;
    std::unique_ptr<Batcher> trainBatches, validBatches;
    std::unique_ptr<TrainableModel> model;
    std::unique_ptr<FlatAdamW> optimizer;
    std::unique_ptr<JsonLinesWriter> metrics;
    std::vector<PromptDialogue> probes; // what every evaluation answers (probe_log.h)
    std::unique_ptr<JsonLinesWriter> probeLog;
    std::unique_ptr<Distributed> dist; // data-parallel workers; null when training alone
    std::string deviceName = "cpu"; // config.device, with "cuda" resolved per worker
    torch::Device device { torch::kCPU };
    bool bf16 = false;
    LrSchedule schedule;
    std::int64_t totalSteps = 0;
    std::size_t batchesPerEpoch = 0;

    TrainerProgress p;
    std::map<EventKind, TrainingEvent> last;
    double emaStepSeconds = 0;
    double emaTokensPerSecond = 0;
    std::int64_t attempts = 0;

    explicit Impl(RunDirectory d) : dir(std::move(d)) { }

    void setUp();
    bool step();
    void finishEpoch();
    void validate();
    void chooseProbes(DialogueLayout::Kind layout);
    void answerProbes(const TrainingEvent &valid);
    fs::path saveCheckpoint();
    TrainingEvent event(EventKind kind) const;
    void emit(TrainingEvent e);
    void fail(const std::string &why);
    double epochFraction() const;
    bool isRoot() const { return !dist || dist->rank() == 0; }
    int rank() const { return dist ? dist->rank() : 0; }
    int world() const { return dist ? dist->worldSize() : 1; }
};

double Trainer::Impl::epochFraction() const
{
    return double(p.position.epoch)
        + (batchesPerEpoch ? double(p.position.batch) / double(batchesPerEpoch) : 0.0);
}

TrainingEvent Trainer::Impl::event(EventKind kind) const
{
    TrainingEvent e;
    e.event = kind;
    e.run = config.name;
    e.step = p.step;
    e.epoch = epochFraction();
    e.tokens = p.tokens;
    e.time = p.time;
    return e;
}

void Trainer::Impl::emit(TrainingEvent e)
{
    if (metrics)
        metrics->append(e.toJson());
    last[e.event] = e;
    if (callback)
        callback(e);
}

void Trainer::Impl::fail(const std::string &why)
{
    state = RunState::Failed;
    TrainingEvent e = event(EventKind::Failed);
    e.message = why;
    try {
        // A failure during set-up comes before the metrics are opened; the event still goes to
        // metrics.jsonl, so whoever watches the folder (another machine, the GUI after a
        // restart) sees why the run failed.
        if (!metrics && isRoot())
            metrics = std::make_unique<JsonLinesWriter>(dir.metricsFile());
        emit(e);
    } catch (const Error &) {
        // The disk may be what failed; the caller gets the original error.
    }
}

void Trainer::Impl::setUp()
{
    configureThreads(config.threads);
    keepFreedMemoryForReuse();
    // A missing GPU fails here, before any data is prepared.
    deviceName = deviceForLocalRank(config.device, options.distributed.localRank);
    requireDevice(deviceName);
    device = torchDevice(deviceName);
    bf16 = config.precision == Precision::Bf16;
    dist = Distributed::connect(options.distributed, deviceName);
    // On a GPU, dropout draws from the CUDA generator, which RngScope does not swap per run:
    // seeded here, a run is repeatable from its start, but a resumed one draws other masks.
    if (device.is_cuda())
        torch::cuda::manual_seed_all(config.seed + 1000003u * std::uint64_t(rank()));
    // Rank 0 prepares the data (and builds a scratch tokenizer); the others then read it.
    if (dist)
        dist->waitFor("ready");
    if (isRoot())
        dir.removeTemporaries();
    std::optional<CheckpointInfo> from = resuming ? dir.latestCheckpoint() : std::nullopt;

    // run.json's repo ids as the cache folders they name; a resumed run reads its checkpoint.
    RunConfig located = config;
    if (!from)
        for (std::string *location : { &located.init, &located.tokenizer })
            if (isRepoId(*location))
                *location = resolveModelFolder(*location, options.hub).string();
    tokenizer = resolveTokenizer(located, dir, from ? &from->dir : nullptr);

    PrepareOptions prep;
    prep.read.format = parseCorpusFormat(config.format);
    prep.normalize.convert = config.convert;
    prep.maxLen = config.maxLen;
    prep.layout = config.layout;
    prep.validCount = config.validCount;
    prep.validFraction = config.validFraction;
    prep.seed = config.seed;
    prep.threads = config.threads;
    fs::path cacheDir = config.cacheDir.empty() ? dir.dataDir() : fs::path(config.cacheDir);
    PreparedCorpus data = prepareCorpus(config.corpus, *tokenizer, cacheDir, prep);
    if (dist)
        dist->signal("ready"); // the tokenizer and the token caches are on disk

    trainCache = std::make_unique<TokenCache>(TokenCache::open(data.trainFile));
    BatchOptions batching;
    batching.batchSize = std::size_t(config.batchSize);
    batching.seed = config.seed;
    batching.padId = std::max(tokenizer->specialIds().pad, 0);
    if (config.loss == LossScope::Response)
        batching.responseOnly = DialogueLayout(prep.layout, *tokenizer);
    trainBatches = std::make_unique<Batcher>(*trainCache, batching);
    if (data.validExamples > 0) {
        validCache = std::make_unique<TokenCache>(TokenCache::open(data.validFile));
        BatchOptions v = batching;
        v.shuffle = false;
        v.batchSize = std::size_t(std::max(config.batchSize, 8));
        validBatches = std::make_unique<Batcher>(*validCache, v);
    }
    chooseProbes(prep.layout);
    batchesPerEpoch = trainBatches->batchCount(0);
    if (batchesPerEpoch == 0)
        throw Error::inFile(config.corpus, "no training examples after preparation");
    const std::int64_t stepsPerEpoch = std::int64_t(
        (batchesPerEpoch + std::size_t(config.gradAccum) - 1) / std::size_t(config.gradAccum));
    totalSteps = config.maxSteps > 0 ? config.maxSteps : stepsPerEpoch * config.epochs;
    schedule = LrSchedule { config.lr, config.warmupSteps, totalSteps, config.schedule };

    model = buildTrainableModel(located, *tokenizer, from ? &from->dir : nullptr);
    // Before the optimizer: its flat buffers are allocated where the parameters are.
    model->module().to(device);
    model->module().train();
    AdamWOptions adam;
    adam.beta1 = config.adamBeta1;
    adam.beta2 = config.adamBeta2;
    adam.eps = config.adamEps;
    adam.weightDecay = config.weightDecay;
    optimizer = std::make_unique<FlatAdamW>(model->module(), adam);

    if (dist) { // same start everywhere, whatever each worker's initialisation drew
        dist->broadcastFromRoot(optimizer->parameters());
        optimizer->markParametersChanged();
    }
    if (isRoot()) {
        metrics = std::make_unique<JsonLinesWriter>(dir.metricsFile());
        probeLog = std::make_unique<JsonLinesWriter>(dir.probesFile());
    }
    if (from) {
        const fs::path stateFile = from->dir / "trainer_state.json";
        p = TrainerProgress::fromJsonFile(stateFile);
        if (p.dataKey != data.key)
            throw Error::inFile(stateFile,
                "the prepared data changed since this checkpoint (corpus, tokenizer or data "
                "options differ); resuming would not continue the same run");
        SafetensorsFile moments = SafetensorsFile::open(from->dir / "optimizer.safetensors");
        auto restoreBuffer = [&](const char *name) {
            auto values = moments.readFloat32(name);
            if (std::int64_t(values.size()) != optimizer->expAvg().numel())
                throw Error::inFile(moments.path(),
                    std::string("'") + name + "' has " + std::to_string(values.size())
                        + " values, the model " + std::to_string(optimizer->expAvg().numel()));
            return torch::from_blob(values.data(), { std::int64_t(values.size()) }).clone();
        };
        auto step
            = moments.metadata().count("step") ? std::stoll(moments.metadata().at("step")) : p.step;
        optimizer->restore(restoreBuffer("exp_avg"), restoreBuffer("exp_avg_sq"), step);
        if (metrics) {
            metrics->truncate(p.metricsSize);
            probeLog->truncate(p.probesSize);
        }
        trainBatches->seek(p.position);
        if (p.step >= totalSteps || p.position.epoch >= std::uint64_t(config.epochs)) {
            state = RunState::Finished; // resuming a finished run has nothing to do
            return;
        }
        TrainingEvent e = event(EventKind::Resume);
        e.message = "resumed from " + from->dir.string();
        emit(e);
    } else {
        // A fresh start (or a resume with no checkpoint yet) replaces any earlier curve.
        if (metrics) {
            metrics->truncate(0);
            probeLog->truncate(0);
        }
        p = TrainerProgress {};
        p.dataKey = data.key;
        // Each data-parallel worker draws its own dropout masks.
        auto gen = at::detail::createCPUGenerator(config.seed + 1000003u * std::uint64_t(rank()));
        p.rngState = toHex(gen.get_state());
    }
    state = RunState::Running;
}

bool Trainer::Impl::step()
{
    const auto started = Clock::now();
    const std::size_t left = batchesPerEpoch - p.position.batch;
    // With W data-parallel workers a step takes gradAccum * W micro-batches; worker r computes
    // those with index % W == r, so the sum of the workers' gradients is the single-process
    // gradient of the same global batch.
    const std::size_t micro
        = std::min<std::size_t>(std::size_t(config.gradAccum) * std::size_t(world()), left);
    const std::int64_t thisStep = p.step + 1;
    const FaultInjection &faults = options.faults;
    const bool injectNan = faults.nanAttempts.count(++attempts) > 0;
    if (dist && faults.exitRank == rank() && faults.exitAttempt == attempts)
        std::_Exit(9);

    double lossSum = 0;
    std::int64_t correct = 0, counted = 0;
    std::uint64_t tokens = 0;
    bool finite = true;
    {
        RngScope rng(p.rngState);
        optimizer->zeroGrad();
        for (std::size_t i = 0; i < micro; ++i) {
            Batch batch;
            if (!trainBatches->next(batch))
                break;
            if (int(i % std::size_t(world())) != rank())
                continue;
            std::uint64_t read = 0;
            LmLoss lm;
            {
                // Forward only: backward replays the ops in the precision they ran in.
                AutocastScope autocast(device, bf16);
                lm = model->loss(batch, read);
            }
            if (injectNan)
                lm.loss = lm.loss * std::numeric_limits<float>::quiet_NaN();
            const double value = lm.loss.item<double>();
            if (!std::isfinite(value)) {
                finite = false;
            } else {
                (lm.loss / double(micro)).backward();
            }
            lossSum += value;
            correct += lm.nCorrect;
            counted += lm.nCounted;
            tokens += read;
        }
    }
    if (dist) {
        // On the model's device: NCCL reduces GPU tensors only.
        auto sums = torch::tensor(
            { lossSum, double(correct), double(counted), double(tokens), finite ? 0.0 : 1.0 },
            torch::kFloat64)
                        .to(device);
        dist->allReduceSum(sums);
        lossSum = sums[0].item<double>();
        correct = std::int64_t(sums[1].item<double>());
        counted = std::int64_t(sums[2].item<double>());
        tokens = std::uint64_t(sums[3].item<double>());
        finite = sums[4].item<double>() == 0;
        if (finite)
            dist->allReduceSum(optimizer->gradients());
    }
    double gradNorm = TrainingEvent::none;
    if (finite) {
        gradNorm = optimizer->clipGradNorm(config.maxGradNorm);
        finite = std::isfinite(gradNorm);
    }
    p.position = trainBatches->position();
    p.tokens += tokens;
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    p.time += seconds;

    if (!finite) {
        ++p.nanStreak;
        TrainingEvent e = event(EventKind::Skipped);
        e.loss = lossSum / double(micro);
        e.message = "non-finite " + std::string(std::isfinite(lossSum) ? "gradient" : "loss")
            + " at step " + std::to_string(thisStep) + "; update skipped ("
            + std::to_string(p.nanStreak) + " in a row)";
        emit(e);
        if (p.nanStreak >= config.maxNanSteps) {
            fail(std::to_string(p.nanStreak)
                + " non-finite steps in a row; the run stopped. Its last good checkpoint is "
                  "intact: lower the learning rate or check the data, then resume.");
            return false;
        }
    } else {
        p.nanStreak = 0;
        const double lr = schedule.at(p.step);
        optimizer->step(lr);
        p.step = thisStep;
        p.epochLossSum += lossSum;
        p.epochBatches += micro;
        p.epochCorrect += std::uint64_t(correct);
        p.epochCounted += std::uint64_t(counted);

        const double alpha = emaStepSeconds == 0 ? 1.0 : 0.05;
        emaStepSeconds += alpha * (seconds - emaStepSeconds);
        emaTokensPerSecond
            += alpha * (double(tokens) / std::max(seconds, 1e-9) - emaTokensPerSecond);
        if (p.step % config.logEvery == 0 || p.step == totalSteps) {
            TrainingEvent e = event(EventKind::Train);
            e.loss = lossSum / double(micro);
            e.acc = counted ? double(correct) / double(counted) : TrainingEvent::none;
            e.lr = lr;
            e.gradNorm = gradNorm;
            e.tokensPerSecond = emaTokensPerSecond;
            e.etaSeconds = emaStepSeconds * double(totalSteps - p.step);
            e.progress = double(p.step) / double(totalSteps);
            emit(e);
        }
    }

    const bool epochDone = p.position.batch >= batchesPerEpoch;
    const bool finished = p.step >= totalSteps
        || (epochDone && p.position.epoch + 1 >= std::uint64_t(config.epochs));
    if (epochDone)
        finishEpoch();
    else if (finished || (config.evalEvery > 0 && p.step % config.evalEvery == 0 && finite))
        validate();
    if (finished || (config.saveEvery > 0 && p.step % config.saveEvery == 0 && finite)
        || (epochDone && config.saveEvery == 0))
        saveCheckpoint();
    if (finished) {
        state = RunState::Finished;
        emit(event(EventKind::Finished));
        return false;
    }
    return true;
}

void Trainer::Impl::finishEpoch()
{
    TrainingEvent e = event(EventKind::Epoch);
    e.epoch = double(p.position.epoch + 1);
    if (p.epochBatches > 0)
        e.loss = p.epochLossSum / double(p.epochBatches);
    if (p.epochCounted > 0)
        e.acc = double(p.epochCorrect) / double(p.epochCounted);
    emit(e);
    p.position = { p.position.epoch + 1, 0 };
    p.epochLossSum = 0;
    p.epochBatches = p.epochCorrect = p.epochCounted = 0;
    trainBatches->seek(p.position);
    validate();
}

void Trainer::Impl::validate()
{
    if (!isRoot() || !validBatches || p.lastValidStep == p.step)
        return;
    EvaluationResult r;
    {
        AutocastScope autocast(device, bf16);
        r = evaluate(*model, *validBatches);
    }
    p.lastValidStep = p.step;
    TrainingEvent e = event(EventKind::Valid);
    e.loss = r.loss;
    e.ppl = r.ppl;
    e.acc = r.acc;
    emit(e);
    if (std::isfinite(r.loss) && r.loss < p.bestValidLoss) {
        p.bestValidLoss = r.loss;
        p.bestStep = p.step;
    }
    answerProbes(e);
}

void Trainer::Impl::chooseProbes(DialogueLayout::Kind layout)
{
    probes.clear();
    for (const auto &context : config.probes)
        probes.push_back({ context, {} });
    if (!config.probes.empty() || !validCache)
        return;
    // The held-out dialogues the run never trains on, decoded back to text: their contexts
    // prompt as the corpus would, and the same ones come back at every evaluation.
    const DialogueLayout split(layout, *tokenizer);
    std::vector<std::int32_t> ids;
    for (std::size_t i = 0;
         i < validCache->size() && probes.size() < std::size_t(config.probeCount); ++i) {
        validCache->read(i, ids);
        auto utterances = split.utterances(ids.data(), ids.size());
        if (utterances.size() < 2)
            continue;
        utterances.pop_back(); // the reference reply
        PromptDialogue probe;
        for (const auto &u : utterances)
            probe.context.push_back(tokenizer->decode(u, true));
        probes.push_back(std::move(probe));
    }
}

void Trainer::Impl::answerProbes(const TrainingEvent &valid)
{
    if (probes.empty() || !probeLog)
        return;
    ChatModel chat;
    chat.name = config.name;
    chat.model = std::make_shared<const LanguageModel>(model->snapshot());
    chat.tokenizer = tokenizer;
    chat.maxHistoryLen = config.maxHistory;
    // Greedy: what changes between evaluations is the weights, not the draw.
    chat.sampling.temperature = 0;
    chat.sampling.maxNewTokens = config.probeTokens;
    chat.sampling.seed = config.seed;
    chat.sampling.setSpecialTokenDefaults(tokenizer->specialIds());
    const std::vector<std::string> replies = generateReplies(chat, probes);
    for (std::size_t i = 0; i < replies.size(); ++i) {
        ProbeReply r;
        r.step = valid.step;
        r.epoch = valid.epoch;
        r.index = i;
        r.context = probes[i].context;
        r.reply = replies[i];
        probeLog->append(r.toJson());
    }
}

fs::path Trainer::Impl::saveCheckpoint()
{
    if (!isRoot())
        return {}; // rank 0 writes for everyone
    // Validation first, so every checkpoint has a validation loss and the best one is on disk.
    validate();
    const auto started = std::chrono::steady_clock::now();
    fs::path temporary = dir.beginCheckpoint(p.step);
    try {
        model->save(temporary);
        tokenizer->save(temporary);
        // CPU copies (no-ops for a CPU model), so a checkpoint loads onto any device.
        const torch::Tensor expAvg = optimizer->expAvg().to(torch::kCPU);
        const torch::Tensor expAvgSq = optimizer->expAvgSq().to(torch::kCPU);
        writeSafetensors(temporary / "optimizer.safetensors",
            { { "exp_avg", { expAvg.numel() }, expAvg.data_ptr<float>() },
                { "exp_avg_sq", { expAvgSq.numel() }, expAvgSq.data_ptr<float>() } },
            { { "step", std::to_string(optimizer->stepCount()) } });
        TrainingEvent e = event(EventKind::Checkpoint);
        e.message = (dir.checkpointsDir() / ("step-" + std::to_string(p.step))).string();
        // The weights and the optimizer state, the bulk of it; the event's line must be final
        // before its length goes into trainer_state.json.
        e.writeSeconds
            = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        metrics->sync();
        probeLog->sync();
        p.metricsSize = metrics->size() + e.toJson().size() + 1;
        p.probesSize = probeLog->size();
        writeFileAtomically(temporary / "trainer_state.json", p.toJsonText());
        std::optional<std::int64_t> best;
        if (p.bestStep >= 0)
            best = p.bestStep;
        fs::path committed
            = dir.commitCheckpoint(temporary, p.step, best, p.bestValidLoss, config.keepLast);
        emit(e);
        return committed;
    } catch (...) {
        std::error_code ec;
        fs::remove_all(temporary, ec);
        throw;
    }
}

Trainer::Trainer(std::unique_ptr<Impl> impl) : d(std::move(impl))
{ }
Trainer::~Trainer() = default;

std::unique_ptr<Trainer> Trainer::create(
    const RunConfig &config, const fs::path &runDir, const TrainerOptions &options)
{
    config.validate();
    RunConfig pinned = config;
    for (std::string *location : { &pinned.init, &pinned.tokenizer })
        if (isRepoId(*location)) {
            resolveModelFolder(*location, options.hub); // there, or the error says how to get it
            *location = pinRepoRevision(*location, options.hub);
        }
    const bool worker = options.distributed.worldSize > 1 && options.distributed.rank != 0;
    auto impl = std::make_unique<Impl>(
        worker ? RunDirectory::at(runDir) : RunDirectory::create(runDir, pinned));
    impl->config = pinned;
    impl->options = options;
    return std::unique_ptr<Trainer>(new Trainer(std::move(impl)));
}

std::unique_ptr<Trainer> Trainer::resume(const fs::path &runDir, const TrainerOptions &options)
{
    auto impl = std::make_unique<Impl>(RunDirectory::open(runDir));
    impl->config = impl->dir.config();
    impl->options = options;
    impl->resuming = true;
    return std::unique_ptr<Trainer>(new Trainer(std::move(impl)));
}

void Trainer::overrideDevice(const std::string &device, Precision precision)
{
    if (d->state != RunState::Idle)
        throw Error("the device of a run can change only before it starts");
    checkDeviceName(device);
    d->config.device = device;
    d->config.precision = precision;
}

void Trainer::setCallback(TrainingCallback callback)
{
    d->callback = std::move(callback);
}

void Trainer::setUp()
{
    if (d->state != RunState::Idle)
        return;
    try {
        d->setUp();
    } catch (const std::exception &e) {
        d->fail(e.what());
        throw;
    }
}

bool Trainer::step()
{
    setUp();
    if (d->state == RunState::Paused && !m_pauseRequested)
        d->state = RunState::Running;
    if (d->state != RunState::Running)
        return false;
    if (m_stopRequested) {
        try {
            d->saveCheckpoint();
        } catch (const std::exception &e) {
            d->fail(e.what());
            throw;
        }
        d->state = RunState::Stopped;
        d->emit(d->event(EventKind::Stopped));
        return false;
    }
    if (m_pauseRequested) {
        d->state = RunState::Paused;
        return false;
    }
    try {
        return d->step();
    } catch (const std::exception &e) {
        d->fail(e.what());
        throw;
    }
}

void Trainer::run()
{
    while (step()) { }
}

fs::path Trainer::saveCheckpoint()
{
    setUp();
    return d->saveCheckpoint();
}

void Trainer::unpause()
{
    m_pauseRequested = false;
}

RunState Trainer::state() const
{
    return d->state;
}

std::shared_ptr<const LanguageModel> Trainer::snapshotModel() const
{
    if (!d->model)
        return nullptr;
    return std::make_shared<const LanguageModel>(d->model->snapshot());
}

std::shared_ptr<const Tokenizer> Trainer::tokenizer() const
{
    return d->tokenizer;
}

bool Trainer::canStep() const
{
    switch (d->state) {
    case RunState::Idle:
    case RunState::Running:
        return true;
    case RunState::Paused:
        return !m_pauseRequested;
    default:
        return false;
    }
}

const RunConfig &Trainer::config() const
{
    return d->config;
}

const RunDirectory &Trainer::directory() const
{
    return d->dir;
}

std::int64_t Trainer::currentStep() const
{
    return d->p.step;
}

std::int64_t Trainer::totalSteps() const
{
    return d->totalSteps;
}

const TrainingEvent *Trainer::lastEvent(EventKind kind) const
{
    auto it = d->last.find(kind);
    return it == d->last.end() ? nullptr : &it->second;
}

} // namespace chatbench
