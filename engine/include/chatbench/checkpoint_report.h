#pragma once
// What loading a Hugging Face checkpoint folder found, beyond the tensors it used: for the CLI's
// and the GUI's "opened with warnings" messages.

#include <filesystem>
#include <string>
#include <vector>

namespace chatbench {

struct CheckpointReport
{
    std::filesystem::path weightsFile; // model.safetensors or pytorch_model.bin
    std::string storedDtype; // "F32", "F16", "BF16" (mixed files: the first seen)
    bool namePrefixed = false; // names carried the "transformer." prefix
    bool lmHeadStored = false; // lm_head.weight was in the file (ChatBench ties it to wte)
    std::vector<std::string> ignored; // legacy buffers (attn.bias, attn.masked_bias)
    std::vector<std::string> unexpected; // tensors the model has no parameter for (not loaded)
    std::vector<std::string> warnings; // human-readable, one line each
};

} // namespace chatbench
