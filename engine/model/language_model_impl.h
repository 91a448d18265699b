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

} // namespace chatbench
