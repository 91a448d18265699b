#include "chatbench/run_config.h"

#include "chatbench/atomic_file.h"
#include "chatbench/device.h"
#include "chatbench/dialogue_layout.h"
#include "chatbench/error.h"
#include "chatbench/hub.h"
#include "io/enum_names.h"
#include "io/json_file.h"

#include <set>

namespace chatbench {

namespace {

constexpr EnumName<ModelKind> modelKinds[]
    = { { ModelKind::Gpt2, "gpt2" }, { ModelKind::Gpt2Transformer, "gpt2+transformer" } };
constexpr EnumName<Schedule> schedules[] = { { Schedule::Linear, "linear" },
    { Schedule::Cosine, "cosine" }, { Schedule::Constant, "constant" } };
constexpr EnumName<LossScope> lossScopes[]
    = { { LossScope::All, "all" }, { LossScope::Response, "response" } };

} // namespace

const char *modelKindName(ModelKind kind)
{
    return enumName(modelKinds, kind);
}
ModelKind parseModelKind(std::string_view name)
{
    return parseEnumName(modelKinds, name, "model kind");
}
const char *toString(Schedule schedule)
{
    return enumName(schedules, schedule);
}
Schedule parseSchedule(std::string_view name)
{
    return parseEnumName(schedules, name, "learning-rate schedule");
}
const char *toString(LossScope scope)
{
    return enumName(lossScopes, scope);
}
LossScope parseLossScope(std::string_view name)
{
    return parseEnumName(lossScopes, name, "loss");
}

namespace {

using nlohmann::json;

// A section's keys must all be known: a misspelt "learning_rate" would otherwise train silently
// with the default.
const json &section(const json &root, const char *name, const std::set<std::string> &known,
    const std::filesystem::path &origin)
{
    static const json empty = json::object();
    auto it = root.find(name);
    if (it == root.end() || it->is_null())
        return empty;
    if (!it->is_object())
        throw Error::inFile(origin, std::string("'") + name + "': expected an object");
    for (const auto &item : it->items())
        if (!known.count(item.key()))
            throw Error::inFile(
                origin, std::string("'") + name + "." + item.key() + "': unknown setting");
    return *it;
}

std::string pathField(const json &object, const char *key, const std::string &fallback,
    const std::filesystem::path &origin, const std::filesystem::path &baseDir)
{
    std::string value = jsonField<std::string>(object, key, fallback, origin);
    if (value.empty() || value == "scratch" || baseDir.empty())
        return value;
    std::filesystem::path p(value);
    return (p.is_absolute() ? p : baseDir / p).lexically_normal().string();
}

// model.init and tokenizer.path: a path, or a Hugging Face repo id, which stays as written.
std::string modelField(const json &object, const char *key, const std::string &fallback,
    const std::filesystem::path &origin, const std::filesystem::path &baseDir)
{
    std::string value = jsonField<std::string>(object, key, fallback, origin);
    if (value.empty() || value == "scratch" || baseDir.empty())
        return value;
    return normalizeModelLocation(value, baseDir);
}

// A word field of run.json through its parse function; errors name the field and the file.
template<typename Parse>
auto wordField(const json &object, const char *section, const char *key, const char *fallback,
    Parse parse, const std::filesystem::path &origin)
{
    const std::string word = jsonField<std::string>(object, key, fallback, origin);
    try {
        return parse(word);
    } catch (const Error &e) {
        throw Error::inFile(origin, std::string("'") + section + "." + key + "': " + e.what());
    }
}

template<typename T>
void require(bool ok, const char *field, const T &value, const char *expected,
    const std::filesystem::path &origin)
{
    if (!ok)
        throw Error::inFile(origin,
            std::string("'") + field + "': " + std::to_string(value) + " is out of range ("
                + expected + ")");
}

// train.probes: each probe a prompt string, or an array of utterances ending with the prompt.
std::vector<std::vector<std::string>> probesField(
    const json &object, const std::filesystem::path &origin)
{
    std::vector<std::vector<std::string>> probes;
    auto it = object.find("probes");
    if (it == object.end() || it->is_null())
        return probes;
    const std::string expected = "expected an array whose items are strings or arrays of strings";
    if (!it->is_array())
        throw Error::inFile(origin, "'train.probes': " + expected);
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json &probe = (*it)[i];
        const std::string where = "'train.probes[" + std::to_string(i) + "]': ";
        std::vector<std::string> context;
        if (probe.is_string())
            context.push_back(probe.get<std::string>());
        else if (probe.is_array())
            for (const json &u : probe) {
                if (!u.is_string())
                    throw Error::inFile(origin, where + expected);
                context.push_back(u.get<std::string>());
            }
        else
            throw Error::inFile(origin, where + expected);
        if (context.empty() || context.back().empty())
            throw Error::inFile(origin, where + "the prompt is empty");
        probes.push_back(std::move(context));
    }
    return probes;
}

} // namespace

void RunConfig::validate(const std::filesystem::path &origin) const
{
    if (name.empty())
        throw Error::inFile(origin, "'name': must not be empty");
    if (encoderInit == EncoderInit::Blocks && init == "scratch")
        throw Error::inFile(origin,
            "'model.encoder_init': blocks needs a pretrained 'model.init' checkpoint to copy from");
    require(nLayer >= 0, "model.n_layer", nLayer, ">= 0", origin);
    require(nHead >= 0, "model.n_head", nHead, ">= 0", origin);
    require(nEmbd >= 0, "model.n_embd", nEmbd, ">= 0", origin);
    require(nPositions >= 0, "model.n_positions", nPositions, ">= 0", origin);
    require(dropout == -1 || (dropout >= 0 && dropout < 1), "model.dropout", dropout,
        "0 <= dropout < 1, or -1", origin);
    require(maxHistory >= 1, "model.max_history", maxHistory, ">= 1", origin);
    require(tokenizerVocabSize >= 0, "tokenizer.vocab_size", tokenizerVocabSize, ">= 0", origin);
    if (corpus.empty())
        throw Error::inFile(origin, "'data.corpus': no training corpus given");
    require(maxLen >= 2, "data.max_len", maxLen, ">= 2", origin);
    if (layout != DialogueLayout::Kind::Chitchat && kind == ModelKind::Gpt2Transformer)
        throw Error::inFile(origin,
            std::string("'data.layout': '") + DialogueLayout::kindName(layout)
                + "' applies to gpt2 models; gpt2+transformer gives the history to its encoder");
    require(validFraction >= 0 && validFraction < 1, "data.valid_fraction", validFraction,
        "0 <= fraction < 1", origin);
    require(epochs >= 1, "train.epochs", epochs, ">= 1", origin);
    require(maxSteps >= 0, "train.max_steps", maxSteps, ">= 0", origin);
    require(batchSize >= 1, "train.batch_size", batchSize, ">= 1", origin);
    require(gradAccum >= 1, "train.grad_accum", gradAccum, ">= 1", origin);
    require(lr > 0 && lr < 1, "train.lr", lr, "0 < lr < 1", origin);
    require(warmupSteps >= 0, "train.warmup_steps", warmupSteps, ">= 0", origin);
    require(weightDecay >= 0, "train.weight_decay", weightDecay, ">= 0", origin);
    require(adamBeta1 >= 0 && adamBeta1 < 1, "train.adam_beta1", adamBeta1, "[0, 1)", origin);
    require(adamBeta2 >= 0 && adamBeta2 < 1, "train.adam_beta2", adamBeta2, "[0, 1)", origin);
    require(adamEps > 0, "train.adam_eps", adamEps, "> 0", origin);
    require(maxGradNorm >= 0, "train.max_grad_norm", maxGradNorm, ">= 0", origin);
    require(evalEvery >= 0, "train.eval_every", evalEvery, ">= 0", origin);
    require(saveEvery >= 0, "train.save_every", saveEvery, ">= 0", origin);
    require(keepLast >= 1, "train.keep_last", keepLast, ">= 1", origin);
    require(logEvery >= 1, "train.log_every", logEvery, ">= 1", origin);
    require(threads >= 0, "train.threads", threads, ">= 0", origin);
    require(maxNanSteps >= 1, "train.max_nan_steps", maxNanSteps, ">= 1", origin);
    require(probeCount >= 0, "train.probe_count", probeCount, ">= 0", origin);
    require(probeTokens >= 1, "train.probe_tokens", probeTokens, ">= 1", origin);
    try {
        checkDeviceName(device);
    } catch (const Error &e) {
        throw Error::inFile(origin, std::string("'train.device': ") + e.what());
    }
}

RunConfig RunConfig::fromJsonText(const std::string &text, const std::filesystem::path &origin,
    const std::filesystem::path &baseDir)
{
    json root = parseJson(text, origin);
    if (!root.is_object())
        throw Error::inFile(origin, "expected a JSON object");
    for (const auto &item : root.items())
        if (!std::set<std::string> { "name", "model", "tokenizer", "data", "train" }.count(
                item.key()))
            throw Error::inFile(origin, "'" + item.key() + "': unknown setting");

    RunConfig c;
    c.name = jsonField<std::string>(root, "name", c.name, origin);

    const json &m = section(root, "model",
        { "kind", "init", "preset", "n_layer", "n_head", "n_embd", "n_positions", "dropout",
            "encoder_init", "max_history" },
        origin);
    c.kind = wordField(m, "model", "kind", "gpt2", parseModelKind, origin);
    c.init = modelField(m, "init", c.init, origin, baseDir);
    c.preset = jsonField<std::string>(m, "preset", c.preset, origin);
    c.nLayer = jsonField<long>(m, "n_layer", c.nLayer, origin);
    c.nHead = jsonField<long>(m, "n_head", c.nHead, origin);
    c.nEmbd = jsonField<long>(m, "n_embd", c.nEmbd, origin);
    c.nPositions = jsonField<long>(m, "n_positions", c.nPositions, origin);
    c.dropout = jsonField<double>(m, "dropout", c.dropout, origin);
    c.encoderInit
        = wordField(m, "model", "encoder_init", toString(c.encoderInit), parseEncoderInit, origin);
    c.maxHistory = jsonField<int>(m, "max_history", c.maxHistory, origin);

    const json &t = section(root, "tokenizer", { "path", "vocab_size" }, origin);
    c.tokenizer = modelField(t, "path", c.tokenizer, origin, baseDir);
    c.tokenizerVocabSize = jsonField<int>(t, "vocab_size", c.tokenizerVocabSize, origin);

    const json &d = section(root, "data",
        { "corpus", "format", "convert", "max_len", "valid_count", "valid_fraction", "cache_dir",
            "layout", "loss" },
        origin);
    c.corpus = pathField(d, "corpus", c.corpus, origin, baseDir);
    c.format = jsonField<std::string>(d, "format", c.format, origin);
    c.convert = jsonField<std::string>(d, "convert", c.convert, origin);
    c.maxLen = jsonField<int>(d, "max_len", c.maxLen, origin);
    c.validCount = jsonField<long>(d, "valid_count", long(c.validCount), origin);
    c.validFraction = jsonField<double>(d, "valid_fraction", c.validFraction, origin);
    c.cacheDir = pathField(d, "cache_dir", c.cacheDir, origin, baseDir);
    c.layout = wordField(
        d, "data", "layout", DialogueLayout::kindName(c.layout),
        [](const std::string &w) { return DialogueLayout::parseKind(w); }, origin);
    // CDial-GPT learns the final response only: that is the cdial layout's default loss.
    c.loss = wordField(d, "data", "loss",
        toString(c.layout == DialogueLayout::Kind::CDial ? LossScope::Response : c.loss),
        parseLossScope, origin);

    const json &r = section(root, "train",
        { "epochs", "max_steps", "batch_size", "grad_accum", "lr", "warmup_steps", "schedule",
            "weight_decay", "adam_beta1", "adam_beta2", "adam_eps", "max_grad_norm", "eval_every",
            "save_every", "keep_last", "log_every", "seed", "threads", "max_nan_steps", "device",
            "precision", "probes", "probe_count", "probe_tokens" },
        origin);
    c.epochs = jsonField<int>(r, "epochs", c.epochs, origin);
    c.maxSteps = jsonField<long>(r, "max_steps", c.maxSteps, origin);
    c.batchSize = jsonField<int>(r, "batch_size", c.batchSize, origin);
    c.gradAccum = jsonField<int>(r, "grad_accum", c.gradAccum, origin);
    c.lr = jsonField<double>(r, "lr", c.lr, origin);
    c.warmupSteps = jsonField<long>(r, "warmup_steps", c.warmupSteps, origin);
    c.schedule = wordField(r, "train", "schedule", toString(c.schedule), parseSchedule, origin);
    c.weightDecay = jsonField<double>(r, "weight_decay", c.weightDecay, origin);
    c.adamBeta1 = jsonField<double>(r, "adam_beta1", c.adamBeta1, origin);
    c.adamBeta2 = jsonField<double>(r, "adam_beta2", c.adamBeta2, origin);
    c.adamEps = jsonField<double>(r, "adam_eps", c.adamEps, origin);
    c.maxGradNorm = jsonField<double>(r, "max_grad_norm", c.maxGradNorm, origin);
    c.evalEvery = jsonField<long>(r, "eval_every", c.evalEvery, origin);
    c.saveEvery = jsonField<long>(r, "save_every", c.saveEvery, origin);
    c.keepLast = jsonField<int>(r, "keep_last", c.keepLast, origin);
    c.logEvery = jsonField<long>(r, "log_every", c.logEvery, origin);
    c.seed = jsonField<long>(r, "seed", long(c.seed), origin);
    c.threads = jsonField<int>(r, "threads", c.threads, origin);
    c.maxNanSteps = jsonField<int>(r, "max_nan_steps", c.maxNanSteps, origin);
    c.device = jsonField<std::string>(r, "device", c.device, origin);
    c.precision = wordField(r, "train", "precision", toString(c.precision), parsePrecision, origin);
    c.probes = probesField(r, origin);
    c.probeCount = jsonField<int>(r, "probe_count", c.probeCount, origin);
    c.probeTokens = jsonField<int>(r, "probe_tokens", c.probeTokens, origin);

    c.validate(origin);
    return c;
}

RunConfig RunConfig::fromJsonFile(const std::filesystem::path &file)
{
    return fromJsonText(readSmallFile(file), file, std::filesystem::absolute(file).parent_path());
}

std::string RunConfig::toJsonText() const
{
    json root;
    root["name"] = name;
    root["model"] = { { "kind", modelKindName(kind) }, { "init", init }, { "preset", preset },
        { "n_layer", nLayer }, { "n_head", nHead }, { "n_embd", nEmbd },
        { "n_positions", nPositions }, { "dropout", dropout },
        { "encoder_init", toString(encoderInit) }, { "max_history", maxHistory } };
    root["tokenizer"] = { { "path", tokenizer }, { "vocab_size", tokenizerVocabSize } };
    root["data"] = { { "corpus", corpus }, { "format", format }, { "convert", convert },
        { "max_len", maxLen }, { "valid_count", validCount }, { "valid_fraction", validFraction },
        { "cache_dir", cacheDir }, { "layout", DialogueLayout::kindName(layout) },
        { "loss", toString(loss) } };
    root["train"] = { { "epochs", epochs }, { "max_steps", maxSteps }, { "batch_size", batchSize },
        { "grad_accum", gradAccum }, { "lr", lr }, { "warmup_steps", warmupSteps },
        { "schedule", toString(schedule) }, { "weight_decay", weightDecay },
        { "adam_beta1", adamBeta1 }, { "adam_beta2", adamBeta2 }, { "adam_eps", adamEps },
        { "max_grad_norm", maxGradNorm }, { "eval_every", evalEvery }, { "save_every", saveEvery },
        { "keep_last", keepLast }, { "log_every", logEvery }, { "seed", seed },
        { "threads", threads }, { "max_nan_steps", maxNanSteps }, { "device", device },
        { "precision", toString(precision) }, { "probe_count", probeCount },
        { "probe_tokens", probeTokens } };
    json &list = root["train"]["probes"] = json::array();
    for (const auto &context : probes)
        list.push_back(context.size() == 1 ? json(context[0]) : json(context));
    return root.dump(2) + "\n";
}

} // namespace chatbench
