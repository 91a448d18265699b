#include "train/gpt2_trainable.h"

#include "model/device.h"
#include "model/hf_checkpoint.h"
#include "model/language_model_impl.h"

namespace chatbench {

torch::Tensor batchTensor(
    const std::vector<std::int32_t> &values, std::size_t rows, std::size_t columns)
{
    return torch::from_blob(const_cast<std::int32_t *>(values.data()),
        { std::int64_t(rows), std::int64_t(columns) }, torch::kInt32)
        .to(torch::kLong);
}

void copyWeights(const torch::nn::Module &from, torch::nn::Module &to)
{
    torch::NoGradGuard noGrad;
    to.to(moduleDevice(from));
    auto params = to.named_parameters(/*recurse=*/true);
    for (const auto &item : from.named_parameters(/*recurse=*/true))
        params[item.key()].copy_(item.value());
    auto buffers = to.named_buffers(/*recurse=*/true);
    for (const auto &item : from.named_buffers(/*recurse=*/true))
        buffers[item.key()].copy_(item.value());
    to.eval();
}

LmLoss Gpt2Trainable::loss(const Batch &batch, std::uint64_t &tokens)
{
    tokens = batch.tokens();
    const torch::Device device = moduleDevice(*m_model);
    auto ids = batchTensor(batch.ids, batch.rows, batch.columns).to(device);
    auto labels = batchTensor(batch.labels, batch.rows, batch.columns).to(device);
    return causalLmLossFromHidden(
        m_model->transformer(ids), labels, m_model->transformer->wte->weight);
}

void Gpt2Trainable::save(const std::filesystem::path &dir)
{
    saveGpt2Checkpoint(*m_model, dir);
}

LanguageModel Gpt2Trainable::snapshot() const
{
    Gpt2LMHeadModel copy(m_model->config());
    copyWeights(*m_model, *copy);
    return LanguageModel(std::make_unique<LanguageModel::Impl>(std::move(copy)));
}

std::int64_t Gpt2Trainable::flopParameters() const
{
    const auto &c = m_model->config();
    return c.parameterCount() - c.nPositions * c.nEmbd;
}

} // namespace chatbench
