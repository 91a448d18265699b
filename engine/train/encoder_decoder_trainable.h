#pragma once
// The GPT-2 + Transformer model as the trainer sees it: every response turn of a batch's rows
// becomes a (history, response) pair, and the loss is over response tokens. Internal.

#include "model/gpt2_encoder_decoder.h"
#include "train/trainable_model.h"

namespace chatbench {

class EncoderDecoderTrainable : public TrainableModel
{
public:
    EncoderDecoderTrainable(Gpt2EncoderDecoder model, PairOptions pairs)
        : m_model(std::move(model)), m_pairs(pairs)
    { }

    torch::nn::Module &module() override { return *m_model; }
    LmLoss loss(const Batch &batch, std::uint64_t &tokens) override;
    void save(const std::filesystem::path &dir) override;
    std::int64_t flopParameters() const override;
    LanguageModel snapshot() const override;

private:
    Gpt2EncoderDecoder m_model;
    PairOptions m_pairs;
};

} // namespace chatbench
