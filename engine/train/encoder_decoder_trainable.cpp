#include "train/encoder_decoder_trainable.h"

#include "model/encoder_decoder_checkpoint.h"
#include "model/language_model_impl.h"

namespace chatbench {

LmLoss EncoderDecoderTrainable::loss(const Batch &batch, std::uint64_t &tokens)
{
    std::int64_t read = 0;
    LmLoss out = encoderDecoderLoss(*m_model, batch, m_pairs, &read);
    tokens = std::uint64_t(read);
    return out;
}

void EncoderDecoderTrainable::save(const std::filesystem::path &dir)
{
    saveEncoderDecoderCheckpoint(*m_model, dir);
}

LanguageModel EncoderDecoderTrainable::snapshot() const
{
    Gpt2EncoderDecoder copy(m_model->encoderConfig(), m_model->decoderConfig());
    copyWeights(*m_model, *copy);
    return LanguageModel(std::make_unique<LanguageModel::Impl>(std::move(copy)));
}

std::int64_t EncoderDecoderTrainable::flopParameters() const
{
    std::int64_t n = 0;
    for (const auto &p : m_model->parameters())
        n += p.numel();
    return n - m_model->encoder->wpe->weight.numel()
        - m_model->decoder->transformer->wpe->weight.numel();
}

} // namespace chatbench
