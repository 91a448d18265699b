#include "train/evaluation.h"

#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/token_cache.h"
#include "model/language_model_impl.h"
#include "train/encoder_decoder_trainable.h"
#include "train/gpt2_trainable.h"

#include <cmath>

namespace chatbench {

EvaluationResult evaluate(TrainableModel &model, Batcher &batches)
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = model.module().is_training();
    model.module().eval();
    EvaluationResult r;
    double nllSum = 0;
    std::uint64_t correct = 0;
    batches.seek({ 0, 0 });
    for (Batch batch; batches.next(batch);) {
        std::uint64_t read = 0;
        LmLoss lm = model.loss(batch, read);
        r.examples += batch.rows;
        if (lm.nCounted == 0)
            continue;
        nllSum += lm.loss.item<double>() * double(lm.nCounted);
        r.tokens += std::uint64_t(lm.nCounted);
        correct += std::uint64_t(lm.nCorrect);
    }
    model.module().train(wasTraining);
    if (r.tokens > 0) {
        r.loss = nllSum / double(r.tokens);
        r.ppl = std::exp(r.loss);
        r.acc = double(correct) / double(r.tokens);
    }
    return r;
}

EvaluationResult evaluateOnCache(const LanguageModel &model, const std::filesystem::path &cacheFile,
    int batchSize, const DialogueLayout *responseOnly)
{
    TokenCache cache = TokenCache::open(cacheFile);
    const Gpt2Config &config = model.config();
    if (cache.vocabSize() > config.vocabSize)
        throw Error::inFile(cacheFile,
            "tokenized with a vocabulary of " + std::to_string(cache.vocabSize())
                + " tokens, larger than the model's " + std::to_string(config.vocabSize));
    for (std::size_t i = 0; i < cache.size(); ++i)
        if (std::int64_t(cache.length(i)) > config.nPositions)
            throw Error::inFile(cacheFile,
                "example " + std::to_string(i) + " has " + std::to_string(cache.length(i))
                    + " tokens, more than the model's context of "
                    + std::to_string(config.nPositions));
    BatchOptions options;
    options.batchSize = std::size_t(std::max(batchSize, 1));
    options.shuffle = false;
    options.padId = std::int32_t(config.padTokenId >= 0 ? config.padTokenId : 0);
    if (responseOnly)
        options.responseOnly = *responseOnly;
    Batcher batches(cache, options);
    // A view of the model (modules are shared handles): the trainer's interface, no copy.
    if (auto &encoderDecoder = model.impl().encoderDecoder) {
        PairOptions pairs;
        pairs.clsId = config.bosTokenId;
        pairs.sepId = config.eosTokenId;
        pairs.padId = options.padId;
        EncoderDecoderTrainable view(encoderDecoder, pairs);
        return evaluate(view, batches);
    }
    Gpt2Trainable view(model.impl().model);
    return evaluate(view, batches);
}

} // namespace chatbench
