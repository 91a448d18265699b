#pragma once
// AdamW over one flat parameter buffer. The model's parameters are re-pointed into a single
// contiguous float buffer (and their gradients into a second one), so gradient clipping and the
// update are a handful of vectorised ops over the whole model instead of a loop of small ops per
// tensor. Parameters with 2 or more dimensions (matrices, embeddings) come first and get weight
// decay; biases and layer norms come after and do not (the usual GPT-2 practice). Semantics are
// torch.optim.AdamW's (decoupled decay: p *= 1 - lr*wd before the Adam step).

#include <torch/nn/module.h>
#include <vector>

namespace chatbench {

struct AdamWOptions
{
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weightDecay = 0.0;
    // The update as whole-buffer tensor ops (what a GPU model uses) even on the CPU, where the
    // fused loop is the default: lets the CPU tests check the GPU path's arithmetic.
    bool tensorOps = false;
};

class FlatAdamW
{
public:
    FlatAdamW(torch::nn::Module &module, AdamWOptions options);

    void zeroGrad() { m_grads.zero_(); }
    // Makes the next step() use gradients scaled so their global L2 norm is at most maxNorm (if
    // maxNorm > 0), as torch.nn.utils.clip_grad_norm_ would; returns the norm before clipping.
    // The scaling happens inside step()'s single pass, so the gradient buffer itself is unchanged.
    double clipGradNorm(double maxNorm);
    // One fused pass over the buffers: weight decay, moments, bias correction, update.
    void step(double lr);

    std::int64_t stepCount() const { return m_step; }
    // The flat buffers every parameter and gradient lives in (data-parallel training reduces
    // and broadcasts them whole).
    torch::Tensor &parameters() { return m_params; }
    torch::Tensor &gradients() { return m_grads; }
    std::int64_t decayedCount() const { return m_decayed; }
    // The optimizer state, for checkpoints: exp_avg, exp_avg_sq, and the step count.
    const torch::Tensor &expAvg() const { return m_expAvg; }
    const torch::Tensor &expAvgSq() const { return m_expAvgSq; }
    void restore(const torch::Tensor &expAvg, const torch::Tensor &expAvgSq, std::int64_t step);
    // Bumps every parameter's version counter, as an in-place torch op would: step() writes the
    // buffer through raw pointers, and a parameter's counter is its own, not the buffer's. Copies
    // derived from the weights (the decoder's bfloat16 weights) check it. Call it after writing
    // parameters() by other means.
    void markParametersChanged();

private:
    AdamWOptions m_options;
    torch::Tensor m_params, m_grads, m_expAvg, m_expAvgSq; // (N) each
    std::vector<torch::Tensor> m_parameterViews; // the module's parameters, views of m_params
    std::int64_t m_decayed = 0; // elements [0, m_decayed) get weight decay
    std::int64_t m_step = 0;
    double m_gradScale = 1.0; // from clipGradNorm, consumed by the next step
};

} // namespace chatbench
