#pragma once
// Which model a checkpoint folder holds, so the CLI and the UI can dispatch before loading:
// a GPT-2 (GPT2LMHeadModel) or the GPT-2 + Transformer encoder-decoder (EncoderDecoderModel).

#include <filesystem>

namespace chatbench {

// True when dir/config.json says "model_type": "encoder-decoder". False for a GPT-2 folder,
// a missing or unreadable config.json, or anything else: never throws.
bool isEncoderDecoderCheckpoint(const std::filesystem::path &dir);

} // namespace chatbench
