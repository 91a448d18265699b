#pragma once
// Two training ops written for the CPU instead of composed from ATen primitives, because a
// tiny GPT-2's step spent ~15% of its time in them (bench/README figures):
// - dropout: ATen draws a Bernoulli per element through its Mersenne twister; here each call
//   takes one 64-bit seed from torch's default generator (so runs stay reproducible and the
//   trainer's per-run RNG swap still applies) and expands it with a counter-based hash, in
//   parallel, keeping a 1-byte mask for the backward pass;
// - softmax cross-entropy: one max pass that also yields the argmax (token accuracy for free),
//   exp kept from the forward pass and turned into the gradient in place, instead of
//   log_softmax + nll_loss + their zero-filled (N, V) backward tensors.
// Internal to the engine.

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace chatbench {

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

struct CrossEntropy
{
    torch::Tensor loss; // scalar mean over rows, differentiable w.r.t. logits
    torch::Tensor argmax; // (N) int64, no gradient
};

// logits (N, V) float32, targets (N) int64 all in [0, V).
CrossEntropy softmaxCrossEntropy(const torch::Tensor &logits, const torch::Tensor &targets);

} // namespace chatbench
