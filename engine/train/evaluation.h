#pragma once
// The evaluation loop shared by the trainer's validation and evaluateOnCache. Internal.

#include "chatbench/evaluation.h"
#include "train/trainable_model.h"

namespace chatbench {

// One pass over every batch of epoch 0 (the batcher should not shuffle), in eval mode without
// gradients; the model's training mode is restored afterwards.
EvaluationResult evaluate(TrainableModel &model, Batcher &batches);

} // namespace chatbench
