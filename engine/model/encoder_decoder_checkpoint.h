#pragma once
// Checkpoint folders of the GPT-2 + Transformer encoder-decoder, in Hugging Face's
// EncoderDecoderModel layout: config.json {"model_type": "encoder-decoder", "encoder": {GPT-2
// config, "is_decoder": false}, "decoder": {GPT-2 config, "add_cross_attention": true,
// "is_decoder": true}, ...} and model.safetensors with "encoder.*" and "decoder.transformer.*"
// names. Internal to the engine.
//
// The encoder reads the decoder's token embedding, so encoder.wte.weight is not stored (as
// decoder.lm_head.weight is not: both are decoder.transformer.wte.weight). The config says so
// with "tie_encoder_decoder_embeddings": true. Note for Python: the weights load by name into
// EncoderDecoderModel(GPT2Model, GPT2LMHeadModel) once encoder.wte.weight is set to the decoder's,
// but HF's GPT2Model always applies the causal mask, while this encoder is bidirectional: its
// outputs match only with that mask removed.

#include "chatbench/checkpoint_report.h"
#include "model/gpt2_encoder_decoder.h"

#include <filesystem>

namespace chatbench {

// True when dir/config.json says "model_type": "encoder-decoder". False for a GPT-2 folder,
// a missing or unreadable config.json, or anything else: never throws.
bool isEncoderDecoderCheckpoint(const std::filesystem::path &dir);

// Writes config.json and model.safetensors (F32, metadata {"format": "pt"}), each atomically.
// The folder is created if needed.
void saveEncoderDecoderCheckpoint(Gpt2EncoderDecoderImpl &model, const std::filesystem::path &dir);

// Reads a folder saveEncoderDecoderCheckpoint wrote (in eval mode). Missing, unexpected or
// wrong-shaped tensors are reported by name as loadGpt2Checkpoint does; a stored
// encoder.wte.weight or decoder.lm_head.weight is accepted (with a warning if it differs from
// the shared embedding).
Gpt2EncoderDecoder loadEncoderDecoderCheckpoint(
    const std::filesystem::path &dir, CheckpointReport *report = nullptr);

} // namespace chatbench
