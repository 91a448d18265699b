#pragma once
// What the trainer needs from a model, so GPT-2 and GPT-2 + Transformer runs share one training
// loop: the torch module (for the optimizer and train/eval mode), the loss of a batch, and
// checkpoint writing. Internal to the engine.

#include "chatbench/language_model.h"
#include "data/batcher.h"
#include "model/lm_loss.h"

#include <filesystem>
#include <torch/nn/module.h>

namespace chatbench {

class TrainableModel
{
public:
    virtual ~TrainableModel() = default;
    virtual torch::nn::Module &module() = 0;
    // Forward pass and GPT2-chitchat's loss / accuracy on one batch of the token cache; tokens
    // receives the tokens the model actually read (an encoder-decoder reads histories again
    // for every response), for throughput figures.
    virtual LmLoss loss(const Batch &batch, std::uint64_t &tokens) = 0;
    // The Hugging Face checkpoint files (config.json, model.safetensors) into dir.
    virtual void save(const std::filesystem::path &dir) = 0;
    // Parameters without position embeddings, for FLOPs per token (6N + 12 L T d).
    virtual std::int64_t flopParameters() const = 0;
    // A copy of the weights as they are now, in eval mode, on the same device.
    virtual LanguageModel snapshot() const = 0;
};

// Copies every parameter and buffer of from into to (the same architecture), moving to onto
// from's device; to ends in eval mode.
void copyWeights(const torch::nn::Module &from, torch::nn::Module &to);

// (rows, columns) int64 tensor from a batch's row-major int32 values.
torch::Tensor batchTensor(
    const std::vector<std::int32_t> &values, std::size_t rows, std::size_t columns);

} // namespace chatbench
