#pragma once
// Training ops written for the CPU instead of composed from ATen primitives, because a tiny
// GPT-2's step spent ~15% of its time in them (bench/README figures):
// - dropout: ATen draws a Bernoulli per element through its Mersenne twister; here each call
//   takes one 64-bit seed from torch's default generator (so runs stay reproducible and the
//   trainer's per-run RNG swap still applies) and expands it with a counter-based hash, in
//   parallel, keeping a 1-byte mask for the backward pass;
// - softmax cross-entropy: one max pass that also yields the argmax (token accuracy for free),
//   exp kept from the forward pass and turned into the gradient in place, instead of
//   log_softmax + nll_loss + their zero-filled (N, V) backward tensors;
// - the causal attention softmax: scale, causal mask and softmax in one pass each way, instead of
//   a multiply, a masked_fill and a softmax forward and backward;
// - the sigmoid-gated activations (GELU's tanh form, SiLU) through float_kernels.h's exp, where
//   ATen's GELU computes a tanh forward and again backward (Sleef's tanh: ~4% of a tiny step).
// Each falls back to the ATen composition for other devices and dtypes (bf16 autocast, CUDA).
// Internal to the engine.

#include <functional>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace chatbench {

// One dropout call's draw: a seed from torch's default generator (so runs stay reproducible and
// the trainer's per-run generator swap applies), the threshold a 16-bit draw must reach to keep an
// element (p * 65536: p is honoured to 1.5e-5) and the kept elements' scale 1 / (1 - p).
struct DropoutDraw
{
    std::uint64_t seed;
    std::uint32_t threshold;
    float scale;
};
DropoutDraw drawDropout(double p);

// x * mask / (1 - p) with mask ~ Bernoulli(1 - p); identity when p == 0 or not training.
torch::Tensor fastDropout(const torch::Tensor &x, double p, bool training);

class FastDropoutImpl : public torch::nn::Module
{
public:
    explicit FastDropoutImpl(double p = 0.1) : m_p(p) { }
    torch::Tensor forward(const torch::Tensor &x) { return fastDropout(x, m_p, is_training()); }
    double p() const { return m_p; }

private:
    double m_p;
};
TORCH_MODULE(FastDropout);

// softmax(scale * scores) over the last dimension, where row i of each (T, K) block sees only
// keys 0 .. past + i (its causal prefix) and the rest get probability 0. scores (..., T, K).
torch::Tensor causalSoftmax(const torch::Tensor &scores, double scale, std::int64_t past);

// x * sigmoid(linear x + cubic x^3): GELU's tanh form (gelu_new) with linear = 2 sqrt(2 / pi),
// cubic = 0.044715 linear; SiLU with linear = 1, cubic = 0. The reference composition is
// referenceActivation (torch::gelu "tanh" or torch::silu), used off the CPU float32 path.
torch::Tensor sigmoidGatedActivation(const torch::Tensor &x, double linear, double cubic,
    const std::function<torch::Tensor(const torch::Tensor &)> &referenceActivation);

struct CrossEntropy
{
    torch::Tensor loss; // scalar mean over rows, differentiable w.r.t. logits
    torch::Tensor argmax; // (N) int64, no gradient
};

// logits (N, V) float32, targets (N) int64 all in [0, V).
CrossEntropy softmaxCrossEntropy(const torch::Tensor &logits, const torch::Tensor &targets);

} // namespace chatbench
