#include "model_loader.h"

#include "chatbench/tokenizer.h"
#include "chatbench/trainer.h"
#include "training_runs.h"

namespace chatbench::ui {

SamplingOptions samplingOf(const ChatModelSpec &spec)
{
    SamplingOptions o;
    o.temperature = spec.temperature;
    o.topK = spec.topK;
    o.topP = spec.topP;
    o.repetitionPenalty = spec.repetitionPenalty;
    o.maxNewTokens = spec.maxNewTokens;
    o.seed = spec.seed;
    o.precision = spec.precision;
    return o;
}

SamplingOptions samplingOf(const ChatModelSpec &spec, const Tokenizer &tokenizer)
{
    SamplingOptions o = samplingOf(spec);
    o.setSpecialTokenDefaults(tokenizer.specialIds());
    return o;
}

ChatModel ModelLoader::load(const ChatModelSpec &spec, LoadedModel *info)
{
    OpenedModel opened;
    const Trainer *training = m_runs.trainer(spec.source);
    if (spec.checkpoint.kind == CheckpointChoice::Kind::Current && training
        && training->snapshotModel()) {
        opened = openCurrentWeights(*training); // a fresh copy each time: the run moves on
    } else {
        // The folder a choice resolves to can change (a newer latest), so open it each time;
        // the weights themselves come from the cache when that checkpoint is loaded already.
        const CheckpointChoice choice = spec.checkpoint.kind == CheckpointChoice::Kind::Current
            ? CheckpointChoice {}
            : spec.checkpoint;
        std::optional<std::int64_t> step;
        const std::filesystem::path source = resolveModelFolder(spec.source.toStdString(), m_hub);
        const std::filesystem::path folder = checkpointFolder(source, choice, &step);
        auto &cached = m_cache[folder.string()];
        if (!cached.model) {
            try {
                cached = openModel(folder);
            } catch (...) {
                m_cache.erase(folder.string());
                throw;
            }
        }
        opened = cached;
        opened.step = step;
    }
    if (info) {
        info->name = spec.name;
        info->folder = QString::fromStdString(opened.folder.string());
        info->step = opened.step ? *opened.step : -1;
    }
    ChatModel m;
    m.name = spec.name.toStdString();
    m.path = opened.folder.string();
    m.source = spec.source.toStdString();
    m.step = opened.step.value_or(-1);
    m.model = opened.model;
    m.tokenizer = opened.tokenizer;
    m.sampling = samplingOf(spec, *opened.tokenizer);
    m.maxHistoryLen = spec.maxHistory;
    return m;
}

void ModelLoader::releaseUnused()
{
    for (auto it = m_cache.begin(); it != m_cache.end();)
        it = it->second.model.use_count() == 1 ? m_cache.erase(it) : std::next(it);
}

} // namespace chatbench::ui
