#pragma once
// TensorBoard's curve smoothing: a debiased exponential moving average. The raw EMA starts at 0
// and so drags the first points towards 0; dividing by (1 - w^n) removes that bias, so the first
// smoothed value equals the first raw value. Pure functions, no Qt, unit-tested.

#include <cstddef>
#include <vector>

namespace chatbench::report {

// Incremental form, so a live curve smooths each new point in O(1).
struct EmaSmoother
{
    double weight = 0.0; // 0 = no smoothing, towards 1 = smoother; clamped to [0, 0.999]
    double last = 0.0;
    std::size_t count = 0; // finite points seen

    explicit EmaSmoother(double w = 0.0);
    // The smoothed value after x. A non-finite x is passed through and leaves the state alone
    // (TensorBoard does the same), so one NaN loss does not poison the rest of the curve.
    double add(double x);
};

// Smooths a whole series: last = last*w + (1-w)*x; shown = last/(1-w^n).
std::vector<double> debiasedEma(const std::vector<double> &values, double weight);

} // namespace chatbench::report
