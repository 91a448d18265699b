#include "train/gpt2_trainable.h"

#include "io/hf_checkpoint.h"
#include "model/device.h"

namespace chatbench {

torch::Tensor batchTensor(
    const std::vector<std::int32_t> &values, std::size_t rows, std::size_t columns)
{
    return torch::from_blob(const_cast<std::int32_t *>(values.data()),
        { std::int64_t(rows), std::int64_t(columns) }, torch::kInt32)
        .to(torch::kLong);
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

std::int64_t Gpt2Trainable::flopParameters() const
{
    const auto &c = m_model->config();
    return c.parameterCount() - c.nPositions * c.nEmbd;
}

} // namespace chatbench
