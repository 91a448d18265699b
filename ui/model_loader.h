#pragma once
// Opens the models the chat and the comparison ask for (chatbench/model_source.h), on the
// engine thread, and keeps each checkpoint loaded while a column uses it: a base-size model is
// half a gigabyte and seconds to read. A run training here gives its current weights without a
// checkpoint being written. Not a QObject: the services that share it live on the same thread.

#include "chatbench/chat_session.h"
#include "chatbench/hub.h"
#include "engine_types.h"

#include <map>
#include <memory>
#include <string>

namespace chatbench::ui {

class TrainingRuns;

class ModelLoader
{
public:
    // runs: where current weights come from (the same engine thread); hub: where a source that
    // is a repo id is found (the Hugging Face cache, offline).
    ModelLoader(const TrainingRuns &runs, chatbench::HubSettings hub)
        : m_runs(runs), m_hub(std::move(hub))
    { }

    // The model, its tokenizer and sampling for spec. Throws chatbench::Error naming the folder
    // and what is wrong (no such checkpoint, not a model folder, a repo id not in the cache
    // and the command that fetches it, ...).
    chatbench::ChatModel load(const ChatModelSpec &spec, LoadedModel *info = nullptr);
    // Drops the checkpoints no model handed out is using any more.
    void releaseUnused();

private:
    const TrainingRuns &m_runs;
    chatbench::HubSettings m_hub;
    std::map<std::string, chatbench::OpenedModel> m_cache; // checkpoint folder ->
};

// The sampling settings of a spec, without the special tokens (what describeSampling shows).
chatbench::SamplingOptions samplingOf(const ChatModelSpec &spec);
// The sampling settings of a spec, over the tokenizer's special tokens.
chatbench::SamplingOptions samplingOf(
    const ChatModelSpec &spec, const chatbench::Tokenizer &tokenizer);

} // namespace chatbench::ui
