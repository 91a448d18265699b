#pragma once
// GPT-2 language model (Hugging Face GPT2LMHeadModel) in libtorch, built bottom-up. Module and
// parameter names equal the checkpoint's tensor names ("transformer.h.0.attn.c_attn.weight"), and
// linear layers keep HF's Conv1D layout (weight [in, out]), so loading a checkpoint is a
// name-for-name copy with nothing transposed. lm_head is tied to wte (no separate parameter).
// Internal to the engine: includes torch.

#include "chatbench/gpt2_config.h"
#include "model/fused_ops.h"

#include <memory>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>
#include <vector>

namespace chatbench {

struct Bf16StepWeights;

// y = x W + b with W stored [in, out] (HF's Conv1D).
class Conv1DImpl : public torch::nn::Module
{
public:
    Conv1DImpl(std::int64_t nIn, std::int64_t nOut);
    torch::Tensor forward(const torch::Tensor &x);

    torch::Tensor weight; // (nIn, nOut)
    torch::Tensor bias; // (nOut)
};
TORCH_MODULE(Conv1D);

// Keys and values of every layer for incremental decoding, preallocated for the whole context
// so a step writes one slice instead of concatenating. One cache serves one batch of sequences.
class KvCache
{
public:
    std::int64_t length() const { return m_length; }
    std::int64_t capacity() const { return m_capacity; }
    // A new sequence: also forgets the cross-attention keys/values of the previous encoder input.
    void clear()
    {
        m_length = 0;
        m_crossKeys.clear();
        m_crossValues.clear();
    }

private:
    friend class Gpt2ModelImpl;
    friend class Gpt2AttentionImpl;
    friend class Gpt2LMHeadModelImpl;
    friend class Gpt2TokenStep;
    std::vector<torch::Tensor> m_keys; // per layer (B, nh, capacity, hs)
    std::vector<torch::Tensor> m_values; // per layer (B, nh, capacity, hs)
    // Cross-attention (decoder of an encoder-decoder): the encoder output's keys and values, per
    // layer (B, nh, S, hs). They do not change while a response is decoded, so the first step
    // computes them and every later step reuses them.
    std::vector<torch::Tensor> m_crossKeys, m_crossValues;
    std::int64_t m_length = 0;
    std::int64_t m_capacity = 0;
};

// Causal: GPT-2's masked self-attention. Bidirectional: self-attention without the causal mask
// (the encoder). Cross: queries from x, keys and values from the encoder output (HF's
// is_cross_attention layout: q_attn projects x, c_attn packs k | v of the encoder output).
enum class AttentionKind { Causal, Bidirectional, Cross };

class Gpt2AttentionImpl : public torch::nn::Module
{
public:
    Gpt2AttentionImpl(const Gpt2Config &config, std::int64_t layerIndex,
        AttentionKind kind = AttentionKind::Causal);
    // x (B, T, C). Self-attention: with a cache, keys/values of positions [past, past+T) are
    // appended. Cross: attends to memory (B, S, C); with a cache its keys/values are computed on
    // the first call and reused after. ignoreKeys, if defined: (B, 1, 1, keys) bool, true where a
    // key is padding and must get no attention.
    torch::Tensor forward(const torch::Tensor &x, KvCache *cache,
        const torch::Tensor &ignoreKeys = {}, const torch::Tensor &memory = {});

    Conv1D c_attn; // self: q | k | v packed (C, 3C); cross: k | v packed (C, 2C)
    Conv1D q_attn; // cross only: (C, C)
    Conv1D c_proj; // (C, C)
    FastDropout attn_dropout, resid_dropout;

private:
    AttentionKind m_kind;
    std::int64_t m_layer, m_nHead, m_headDim;
    double m_scale;
};
TORCH_MODULE(Gpt2Attention);

class Gpt2MlpImpl : public torch::nn::Module
{
public:
    explicit Gpt2MlpImpl(const Gpt2Config &config);
    torch::Tensor forward(const torch::Tensor &x);

    Conv1D c_fc; // (C, inner)
    Conv1D c_proj; // (inner, C)
    FastDropout dropout;

private:
    Activation m_activation;
};
TORCH_MODULE(Gpt2Mlp);

class Gpt2BlockImpl : public torch::nn::Module
{
public:
    // selfKind: Causal for GPT-2 and the decoder, Bidirectional for the encoder. With
    // config.addCrossAttention the block gets ln_cross_attn and crossattention, applied after
    // self-attention and before the MLP, as in HF's GPT2Block.
    Gpt2BlockImpl(const Gpt2Config &config, std::int64_t layerIndex,
        AttentionKind selfKind = AttentionKind::Causal);
    // ignoreKeys: padding of x's own keys (the encoder); memory, ignoreMemory: the encoder output
    // and its padding, (B, 1, 1, S) true = padding. Without memory, cross-attention is skipped.
    torch::Tensor forward(const torch::Tensor &x, KvCache *cache,
        const torch::Tensor &ignoreKeys = {}, const torch::Tensor &memory = {},
        const torch::Tensor &ignoreMemory = {});

    torch::nn::LayerNorm ln_1;
    Gpt2Attention attn;
    torch::nn::LayerNorm ln_cross_attn; // null unless addCrossAttention
    Gpt2Attention crossattention; // null unless addCrossAttention
    torch::nn::LayerNorm ln_2;
    Gpt2Mlp mlp;
};
TORCH_MODULE(Gpt2Block);

// The "transformer" part: embeddings, blocks, final layer norm.
class Gpt2ModelImpl : public torch::nn::Module
{
public:
    explicit Gpt2ModelImpl(const Gpt2Config &config);
    // ids (B, T) int64 -> hidden states after ln_f (B, T, C). Positions continue from
    // cache->length() when a cache is given. hiddenStates, when given, receives HF's
    // output_hidden_states list (embeddings, every block output but the last, ln_f output).
    // encoderHidden (B, S, C) and encoderMask (B, S) bool, true = token: what the blocks'
    // cross-attention attends to (addCrossAttention only; ignored when undefined).
    torch::Tensor forward(const torch::Tensor &ids, KvCache *cache = nullptr,
        std::vector<torch::Tensor> *hiddenStates = nullptr, const torch::Tensor &encoderHidden = {},
        const torch::Tensor &encoderMask = {});

    torch::nn::Embedding wte, wpe;
    FastDropout drop;
    torch::nn::ModuleList h;
    torch::nn::LayerNorm ln_f;

private:
    Gpt2Config m_config;
};
TORCH_MODULE(Gpt2Model);

class Gpt2LMHeadModelImpl : public torch::nn::Module
{
public:
    explicit Gpt2LMHeadModelImpl(const Gpt2Config &config);
    // ids (B, T) -> logits (B, T, vocab); the encoder arguments as in Gpt2ModelImpl::forward.
    torch::Tensor forward(const torch::Tensor &ids, KvCache *cache = nullptr,
        const torch::Tensor &encoderHidden = {}, const torch::Tensor &encoderMask = {});
    // hidden (..., C) -> logits (..., vocab) through the tied embedding.
    torch::Tensor logits(const torch::Tensor &hidden);
    KvCache newCache(std::int64_t batch) const;
    // Hugging Face's initialisation: N(0, initializer_range) for weights and embeddings, zero
    // biases, unit layer norms, c_proj weights N(0, initializer_range / sqrt(2 n_layer)).
    void initWeights(std::uint64_t seed);

    const Gpt2Config &config() const { return m_config; }

    Gpt2Model transformer;

private:
    friend class Gpt2TokenStep;
    Gpt2Config m_config;
    // Gpt2TokenStep's bfloat16 copy of the weights, kept between sequences: packing base takes
    // a good fraction of a second, more than a short reply.
    std::shared_ptr<const Bf16StepWeights> m_bf16StepWeights;
};
TORCH_MODULE(Gpt2LMHeadModel);

// Hugging Face's GPT-2 initialisation of every parameter of module (a GPT-2 or a part of one,
// named as in GPT-2): see Gpt2LMHeadModelImpl::initWeights. config gives the std and n_layer.
void initGpt2Parameters(torch::nn::Module &module, const Gpt2Config &config, std::uint64_t seed);

} // namespace chatbench
