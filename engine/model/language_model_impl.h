#pragma once
// The torch side of chatbench::LanguageModel, for engine code (trainer, sampler).

#include "chatbench/language_model.h"
#include "model/gpt2.h"

namespace chatbench {

struct LanguageModel::Impl
{
    explicit Impl(Gpt2LMHeadModel m) : model(std::move(m)) { }
    Gpt2LMHeadModel model;
};

// Throws chatbench::Error unless ids is non-empty and every id is in the vocabulary; what names
// the sequence in the message.
void checkTokenIds(
    const std::vector<std::int32_t> &ids, const Gpt2Config &config, const char *what);

} // namespace chatbench
