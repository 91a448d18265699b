#pragma once
// Hugging Face checkpoint folders (config.json + model.safetensors, or pytorch_model.bin) for
// GPT-2: what `save_pretrained` writes and `from_pretrained` reads, so models move freely
// between ChatBench and Python. Internal to the engine.

#include "chatbench/checkpoint_report.h"
#include "model/gpt2.h"

#include <filesystem>
#include <map>
#include <string>

namespace chatbench {

// The weights of a file by name, converted to float32. The legacy causal-mask buffers
// (attn.bias, attn.masked_bias, and the cross-attention's, of any dtype) are validated, listed in
// report.ignored and not read; any other tensor not stored as a float type is an error naming
// it. report.storedDtype receives the first weight's dtype ("F32", "F16", ..., or "pickle").
std::map<std::string, torch::Tensor> readStateDict(
    const std::filesystem::path &weightsFile, CheckpointReport &report);

// Copies a state dict into the model. Tolerates names with or without "transformer.", accepts
// lm_head.weight present or absent; reports unexpected names.
// Missing or wrong-shaped tensors are an error that names every one of them.
void loadStateDict(Gpt2LMHeadModelImpl &model, const std::map<std::string, torch::Tensor> &tensors,
    const std::filesystem::path &origin, CheckpointReport *report);

// Copies tensors into module's parameters by exact name (any module: the encoder-decoder uses
// it). Names the module lacks are appended to unexpected; missing or wrong-shaped parameters
// are one chatbench::Error naming every one of them, as loadStateDict's.
void copyNamedTensors(torch::nn::Module &module,
    const std::map<std::string, torch::Tensor> &tensors, const std::filesystem::path &origin,
    std::vector<std::string> *unexpected);

// Finds the weights file of a checkpoint folder: model.safetensors, else pytorch_model.bin.
std::filesystem::path findWeightsFile(const std::filesystem::path &dir);

Gpt2LMHeadModel loadGpt2Checkpoint(const std::filesystem::path &dir, CheckpointReport *report);

// Creates dir and writes every parameter of model as dir/model.safetensors (F32, the module's
// own names, metadata {"format": "pt"}), atomically: the weights half of a checkpoint folder.
void writeModelWeights(torch::nn::Module &model, const std::filesystem::path &dir);

// Writes config.json and model.safetensors (F32, "transformer." names, no lm_head.weight, metadata
// {"format": "pt"}), each file atomically. The folder is created if needed.
void saveGpt2Checkpoint(Gpt2LMHeadModelImpl &model, const std::filesystem::path &dir);

} // namespace chatbench
