#include "ema_smoothing.h"

#include <algorithm>
#include <cmath>

namespace chatbench::report {

EmaSmoother::EmaSmoother(double w) : weight(std::clamp(w, 0.0, 0.999))
{ }

double EmaSmoother::add(double x)
{
    if (!std::isfinite(x))
        return x;
    ++count;
    last = last * weight + (1.0 - weight) * x;
    const double debias = 1.0 - std::pow(weight, double(count));
    return debias > 0 ? last / debias : x;
}

std::vector<double> debiasedEma(const std::vector<double> &values, double weight)
{
    EmaSmoother s(weight);
    std::vector<double> out;
    out.reserve(values.size());
    for (double v : values)
        out.push_back(s.add(v));
    return out;
}

} // namespace chatbench::report
