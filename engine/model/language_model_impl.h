#pragma once
// The torch side of chatbench::LanguageModel, for engine code (trainer, sampler).

#include "chatbench/language_model.h"
#include "model/gpt2.h"
#include "model/gpt2_encoder_decoder.h"

namespace chatbench {

// A GPT-2, or the GPT-2 + Transformer encoder-decoder; for the latter `model` is its decoder
// (so config() and the vocabulary checks mean the same for both).
struct LanguageModel::Impl
{
    explicit Impl(Gpt2LMHeadModel m) : model(std::move(m)) { }
    explicit Impl(Gpt2EncoderDecoder m) : model(m->decoder), encoderDecoder(std::move(m)) { }
    Gpt2LMHeadModel model;
    Gpt2EncoderDecoder encoderDecoder { nullptr };

    torch::nn::Module &module()
    {
        return encoderDecoder ? static_cast<torch::nn::Module &>(*encoderDecoder) : *model;
    }
};

// Throws chatbench::Error unless ids is non-empty and every id is in the vocabulary; what names
// the sequence in the message.
void checkTokenIds(
    const std::vector<std::int32_t> &ids, const Gpt2Config &config, const char *what);

} // namespace chatbench
