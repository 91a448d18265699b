#include "chatbench/sampling.h"

#include "chatbench/device.h"
#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "generate/sampler.h"
#include "model/language_model_impl.h"

#include <algorithm>
#include <string>

namespace chatbench {
namespace {

void require(bool ok, const std::string &what)
{
    if (!ok)
        throw Error("sampling options: " + what);
}

void checkOptions(const SamplingOptions &o, const Gpt2Config &config)
{
    require(o.temperature >= 0, "temperature must be >= 0 (0 = greedy)");
    require(o.topK >= 0, "top-k must be >= 0 (0 = off)");
    require(o.topP > 0 && o.topP <= 1, "top-p must be in (0, 1] (1 = off)");
    require(o.repetitionPenalty > 0, "repetition penalty must be > 0 (1 = off)");
    require(o.noRepeatNgramSize >= 0, "no-repeat n-gram size must be >= 0 (0 = off)");
    require(o.minNewTokens >= 0, "min new tokens must be >= 0");
    require(o.maxNewTokens >= 0, "max new tokens must be >= 0");
    require(o.numCandidates >= 1, "the number of candidates must be >= 1");
    for (const auto *list : { &o.bannedIds, &o.stopIds })
        for (const std::int32_t id : *list)
            require(id >= 0 && id < config.vocabSize,
                (list == &o.bannedIds ? "banned id " : "stop id ") + std::to_string(id)
                    + " is outside the vocabulary (0.." + std::to_string(config.vocabSize - 1)
                    + ")");
}

void addIfPresent(std::vector<std::int32_t> &out, std::int64_t id)
{
    if (id >= 0 && std::find(out.begin(), out.end(), id) == out.end())
        out.push_back(std::int32_t(id));
}

} // namespace

void SamplingOptions::setSpecialTokenDefaults(const SpecialTokenIds &ids)
{
    bannedIds.clear();
    stopIds.clear();
    for (const std::int32_t id : { ids.unk, ids.pad, ids.cls })
        addIfPresent(bannedIds, id);
    addIfPresent(stopIds, ids.sep >= 0 ? ids.sep : ids.eos);
}

void SamplingOptions::setSpecialTokenDefaults(const Gpt2Config &config)
{
    bannedIds.clear();
    stopIds.clear();
    if (config.padTokenId != config.eosTokenId)
        addIfPresent(bannedIds, config.padTokenId);
    addIfPresent(stopIds, config.eosTokenId);
}

SamplingOptions SamplingOptions::greedy(int maxNewTokens)
{
    SamplingOptions o;
    o.temperature = 0;
    o.maxNewTokens = maxNewTokens;
    return o;
}

namespace {
// Puts the models in eval mode for decoding and back as they were afterwards, each once.
class EvalModeScope
{
public:
    void add(const LanguageModel &model)
    {
        auto &module = model.impl().module();
        for (const auto &[m, wasTraining] : m_modules)
            if (m == &module)
                return;
        m_modules.emplace_back(&module, module.is_training());
        module.eval();
    }
    ~EvalModeScope()
    {
        for (auto it = m_modules.rbegin(); it != m_modules.rend(); ++it)
            it->first->train(it->second);
    }

private:
    std::vector<std::pair<torch::nn::Module *, bool>> m_modules;
};
} // namespace

std::vector<Generation> generateInTurns(const std::vector<GenerationRequest> &requests,
    const TurnTokenCallback &onToken, const std::atomic<bool> *cancel)
{
    for (const auto &r : requests) {
        if (!r.model)
            throw Error("generation request: no model");
        checkTokenIds(r.prompt, r.model->config(), "prompt");
        checkOptions(r.options, r.model->config());
    }
    EvalModeScope evalMode;
    std::vector<Sampler> samplers;
    samplers.reserve(requests.size());
    for (const auto &r : requests) {
        evalMode.add(*r.model);
        samplers.emplace_back(r.model->impl(), r.options);
    }
    std::vector<std::unique_ptr<SamplerStream>> streams;
    for (std::size_t i = 0; i < requests.size(); ++i)
        streams.push_back(std::make_unique<SamplerStream>(samplers[i],
            std::vector<std::int64_t>(requests[i].prompt.begin(), requests[i].prompt.end()), 0));
    const auto cancelAll = [&] {
        for (auto &s : streams)
            s->cancel();
    };
    if (cancel && cancel->load())
        cancelAll();
    for (bool pending = true; pending;) {
        pending = false;
        for (std::size_t i = 0; i < streams.size(); ++i) {
            if (streams[i]->done())
                continue;
            const std::int32_t id = streams[i]->step();
            if ((onToken && !onToken(i, id)) || (cancel && cancel->load()))
                cancelAll();
            pending = pending || !streams[i]->done();
        }
    }
    std::vector<Generation> out;
    for (const auto &s : streams)
        out.push_back(s->result());
    return out;
}

std::vector<Generation> generate(const LanguageModel &model,
    const std::vector<std::int32_t> &prompt, const SamplingOptions &options,
    const TokenCallback &onToken, const std::atomic<bool> *cancel)
{
    checkTokenIds(prompt, model.config(), "prompt");
    checkOptions(options, model.config());
    auto &module = model.impl().module();
    const bool wasTraining = module.is_training();
    module.eval();
    Sampler sampler(model.impl(), options);
    std::vector<Generation> out;
    try {
        for (int i = 0; i < options.numCandidates && !sampler.cancelled(); ++i)
            out.push_back(sampler.run({ prompt.begin(), prompt.end() }, i, onToken, cancel));
    } catch (...) {
        module.train(wasTraining);
        throw;
    }
    module.train(wasTraining);
    return out;
}

} // namespace chatbench
