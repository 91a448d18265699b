#pragma once
// A GPT-2 language model as the trainer sees it. Internal to the engine.

#include "model/gpt2.h"
#include "train/trainable_model.h"

namespace chatbench {

class Gpt2Trainable : public TrainableModel
{
public:
    explicit Gpt2Trainable(Gpt2LMHeadModel model) : m_model(std::move(model)) { }

    torch::nn::Module &module() override { return *m_model; }
    LmLoss loss(const Batch &batch, std::uint64_t &tokens) override;
    void save(const std::filesystem::path &dir) override;
    std::int64_t flopParameters() const override;
    LanguageModel snapshot() const override;

    Gpt2LMHeadModel &model() { return m_model; }

private:
    Gpt2LMHeadModel m_model;
};

} // namespace chatbench
