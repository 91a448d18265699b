#pragma once
// A GPT-2 language model (Hugging Face GPT2LMHeadModel) loaded in the engine. Torch-free handle
// (pimpl) for the CLI and the UI; the engine's own code reaches the torch module through
// model/language_model_impl.h. Not thread-safe: use one model from one thread at a time (the
// engine thread).

#include "chatbench/checkpoint_report.h"
#include "chatbench/gpt2_config.h"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace chatbench {

struct TokenScores
{
    std::vector<float> lastLogits; // logits at the last position (vocab)
    std::vector<std::int32_t> argmax; // argmax at every position
    // GPT2-chitchat's loss and token accuracy (logits[:-1] against labels[1:], labels of -100
    // ignored); NaN when nothing is counted (a one-token sequence).
    double loss = std::numeric_limits<double>::quiet_NaN();
    double accuracy = std::numeric_limits<double>::quiet_NaN();
    std::int64_t nCorrect = 0;
    std::int64_t nCounted = 0;
};

class LanguageModel
{
public:
    // Opens a Hugging Face checkpoint folder (config.json + model.safetensors or
    // pytorch_model.bin): a GPT-2, or a GPT-2 + Transformer encoder-decoder (which then reads a
    // prompt as the dialogue history and writes the reply from [CLS]). Throws chatbench::Error
    // naming the file and every problem found.
    static LanguageModel load(const std::filesystem::path &dir, CheckpointReport *report = nullptr);
    // A freshly initialised model (Hugging Face's initialisation), deterministic per seed.
    static LanguageModel create(const Gpt2Config &config, std::uint64_t seed);

    LanguageModel(LanguageModel &&) noexcept;
    LanguageModel &operator=(LanguageModel &&) noexcept;
    ~LanguageModel();

    // Moves the weights to a device ("cpu", "cuda", "cuda:N"; chatbench/device.h). Throws
    // chatbench::Error when the device does not exist here. Generation and scoring run there;
    // their results come back as plain values.
    void toDevice(const std::string &device);
    std::string device() const; // "cpu", "cuda:0"

    // Writes config.json + model.safetensors in Hugging Face's layout, each file atomically.
    void save(const std::filesystem::path &dir) const;

    // The GPT-2's config; an encoder-decoder's decoder config.
    const Gpt2Config &config() const;
    bool isEncoderDecoder() const;
    std::int64_t parameterCount() const;

    // Scores one sequence (a GPT-2 only: chatbench::Error for an encoder-decoder). labels default
    // to the ids (GPT2-chitchat); ids must be non-empty, in the vocabulary and no longer than
    // n_positions (else chatbench::Error).
    TokenScores score(const std::vector<std::int32_t> &ids,
        const std::vector<std::int32_t> *labels = nullptr) const;

    // The torch side, for the engine's own code (model/language_model_impl.h defines it).
    struct Impl;
    explicit LanguageModel(std::unique_ptr<Impl> impl);
    Impl &impl() const { return *d; }

private:
    std::unique_ptr<Impl> d;
};

} // namespace chatbench
