// The float32 kernels of the decoding step: every kernel this CPU runs computes x W (a Conv1D
// weight, rows read in bands), W x over row ranges, the attention softmax and the sigmoid-gated
// activations (GELU's tanh form, SiLU) against double-precision references, over odd shapes
// (vector tails).

#include "model/float_kernels.h"

#include <QtTest/QtTest>
#include <cmath>
#include <random>
#include <vector>

using namespace chatbench;

namespace {

std::vector<CpuKernel> kernelsThisCpuRuns()
{
    std::vector<CpuKernel> kernels;
    for (auto kernel : { CpuKernel::Portable, CpuKernel::Avx2 })
        if (cpuRuns(kernel))
            kernels.push_back(kernel);
    return kernels;
}

std::vector<float> normalValues(std::size_t n, std::uint32_t seed)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> normal;
    std::vector<float> values(n);
    for (float &v : values)
        v = normal(random);
    return values;
}

} // namespace

class TestFloatKernels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void products_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::newRow("4 x 256 (no tails)") << 4 << 256;
        QTest::newRow("37 x 300 (column tail)") << 37 << 300;
        QTest::newRow("3 x 7 (shorter than a vector)") << 3 << 7;
        QTest::newRow("130 x 768") << 130 << 768;
    }

    void products()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        const auto nRows = std::size_t(rows), nCols = std::size_t(cols);
        const std::vector<float> w = normalValues(nRows * nCols, std::uint32_t(rows * 1000 + cols));
        const std::vector<float> x = normalValues(std::max(nRows, nCols), 7);
        // x W over rows [1, rows): what a second task of the step computes.
        std::vector<double> xw(nCols, 0.25), xwMagnitude(nCols);
        for (std::size_t r = 1; r < nRows; ++r)
            for (std::size_t c = 0; c < nCols; ++c) {
                xw[c] += double(x[r]) * w[r * nCols + c];
                xwMagnitude[c] += std::abs(double(x[r]) * w[r * nCols + c]);
            }
        std::vector<double> wx(nRows), wxMagnitude(nRows);
        for (std::size_t r = 0; r < nRows; ++r)
            for (std::size_t c = 0; c < nCols; ++c) {
                wx[r] += double(w[r * nCols + c]) * x[c];
                wxMagnitude[r] += std::abs(double(w[r * nCols + c]) * x[c]);
            }
        QVERIFY(!kernelsThisCpuRuns().empty());
        for (CpuKernel kernel : kernelsThisCpuRuns()) {
            // float32 sums of up to 768 terms; one wrong weight would be off by ~magnitude / n.
            std::vector<float> y(nCols, 0.25f);
            addVectorTimesMatrix(w.data() + nCols, rows - 1, cols, x.data() + 1, y.data(), kernel);
            for (std::size_t c = 0; c < nCols; ++c)
                QVERIFY2(std::abs(y[c] - xw[c]) <= 1e-5 * xwMagnitude[c] + 1e-6,
                    qPrintable(QString("%1, x W column %2: %3 vs %4")
                                   .arg(cpuKernelName(kernel))
                                   .arg(c)
                                   .arg(y[c])
                                   .arg(xw[c])));
            // Rows [1, rows - 1) only: the rows outside keep their values.
            std::vector<float> out(nRows, NAN);
            matrixTimesVector(w.data(), cols, x.data(), out.data(), 1, rows - 1, kernel);
            for (std::size_t r = 0; r < nRows; ++r) {
                const bool inside = r >= 1 && r + 1 < nRows;
                if (!inside) {
                    QVERIFY2(std::isnan(out[r]), qPrintable(QString("row %1 written").arg(r)));
                    continue;
                }
                QVERIFY2(std::abs(out[r] - wx[r]) <= 1e-5 * wxMagnitude[r] + 1e-6,
                    qPrintable(QString("%1, W x row %2: %3 vs %4")
                                   .arg(cpuKernelName(kernel))
                                   .arg(r)
                                   .arg(out[r])
                                   .arg(wx[r])));
            }
        }
    }

    void softmaxOfScaledScores()
    {
        // 1 (a single key), 7 (the tail only), 8, 37 and 300 keys; scores far apart, so a
        // missing max shift would overflow.
        for (int n : { 1, 7, 8, 37, 300 }) {
            std::vector<float> scores = normalValues(std::size_t(n), std::uint32_t(n));
            for (float &v : scores)
                v = 40.0f * v + 200.0f;
            const double scale = 0.125;
            double top = -INFINITY, total = 0;
            for (float v : scores)
                top = std::max(top, double(v));
            for (float v : scores)
                total += std::exp(scale * (v - top));
            for (CpuKernel kernel : kernelsThisCpuRuns()) {
                std::vector<float> p = scores;
                softmaxInPlace(p.data(), n, float(scale), kernel);
                double sum = 0;
                for (std::size_t j = 0; j < p.size(); ++j) {
                    const double expected = std::exp(scale * (scores[j] - top)) / total;
                    QVERIFY2(std::abs(p[j] - expected) <= 1e-6 * expected + 1e-12,
                        qPrintable(QString("%1, %2 keys, p[%3] = %4, expected %5")
                                       .arg(cpuKernelName(kernel))
                                       .arg(n)
                                       .arg(j)
                                       .arg(double(p[j]))
                                       .arg(expected)));
                    sum += p[j];
                }
                QVERIFY(std::abs(sum - 1.0) < 1e-5);
            }
        }
    }

    void backwardKernels()
    {
        // Each kernel against the derivative in double: softmax's over 37 keys, the GELU gate's
        // over 1,001 values in [-12, 12] (vector body and tail).
        const int n = 37;
        const std::vector<float> scores = normalValues(n, 11), dy = normalValues(1001, 12);
        const double scale = 0.3;
        std::vector<double> p(n);
        double total = 0;
        for (int j = 0; j < n; ++j)
            total += (p[std::size_t(j)] = std::exp(scale * scores[std::size_t(j)]));
        double dot = 0;
        for (int j = 0; j < n; ++j) {
            p[std::size_t(j)] /= total;
            dot += p[std::size_t(j)] * dy[std::size_t(j)];
        }
        std::vector<float> pf(p.begin(), p.end()), x(1001);
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = -12.0f + 24.0f * float(i) / 1000.0f;
        const double linear = 2.0 * std::sqrt(2.0 / M_PI), cubic = linear * 0.044715;
        for (CpuKernel kernel : kernelsThisCpuRuns()) {
            std::vector<float> ds(static_cast<std::size_t>(n));
            softmaxBackward(pf.data(), dy.data(), ds.data(), n, float(scale), kernel);
            for (std::size_t j = 0; j < ds.size(); ++j) {
                const double expected = scale * p[j] * (dy[j] - dot);
                QVERIFY2(std::abs(ds[j] - expected) < 1e-6,
                    qPrintable(
                        QString("%1, softmax gradient %2").arg(cpuKernelName(kernel)).arg(j)));
            }
            std::vector<float> dx = dy; // in place
            multiplyBySigmoidBackward(x.data(), dx.data(), dx.data(), std::int64_t(dx.size()),
                float(linear), float(cubic), kernel);
            for (std::size_t i = 0; i < x.size(); ++i) {
                const double v = x[i],
                             s = 1.0 / (1.0 + std::exp(-(linear * v + cubic * v * v * v)));
                const double expected
                    = dy[i] * (s + v * s * (1.0 - s) * (linear + 3.0 * cubic * v * v));
                QVERIFY2(std::abs(dx[i] - expected) < 2e-6 * (1.0 + std::abs(expected)),
                    qPrintable(QString("%1, gate gradient at %2: %3 vs %4")
                                   .arg(cpuKernelName(kernel))
                                   .arg(v)
                                   .arg(dx[i])
                                   .arg(expected)));
            }
        }
    }

    void dropoutMasks()
    {
        // Both kernels draw the same mask for the same seed, whatever the range boundaries (an
        // odd start, a tail); about 1 - p are kept; another seed gives another mask.
        const std::int64_t n = 100003;
        const std::vector<float> in = normalValues(std::size_t(n), 21);
        const std::uint32_t threshold = 6554; // p = 0.1
        std::vector<std::vector<std::uint8_t>> masks;
        for (CpuKernel kernel : kernelsThisCpuRuns())
            for (std::uint64_t seed : { 0x1234567890abcdefull, 0x1234567890abcdeeull }) {
                std::vector<float> out(in.size());
                std::vector<std::uint8_t> kept(in.size());
                // An odd split: 77 elements, then the rest from element 77 on.
                dropoutForward(
                    in.data(), out.data(), kept.data(), 77, 0, seed, threshold, 2.0f, kernel);
                dropoutForward(in.data() + 77, out.data() + 77, kept.data() + 77, n - 77, 77, seed,
                    threshold, 2.0f, kernel);
                std::vector<float> grad(in.size());
                dropoutBackward(kept.data(), in.data(), grad.data(), 5, 2.0f, kernel);
                dropoutBackward(
                    kept.data() + 5, in.data() + 5, grad.data() + 5, n - 5, 2.0f, kernel);
                std::int64_t count = 0;
                for (std::size_t i = 0; i < in.size(); ++i) {
                    QCOMPARE(out[i], kept[i] ? in[i] * 2.0f : 0.0f);
                    QCOMPARE(grad[i], out[i]); // the same mask and scale
                    count += kept[i];
                }
                QVERIFY2(std::abs(double(count) / double(n) - 0.9) < 0.004,
                    qPrintable(QString("%1 kept %2").arg(cpuKernelName(kernel)).arg(count)));
                masks.push_back(kept);
            }
        QVERIFY(masks[0] != masks[1]); // seeds differing in one bit
        for (std::size_t k = 2; k < masks.size(); ++k)
            QVERIFY(masks[k] == masks[k % 2]); // the AVX2 kernel draws the portable one's masks
    }

    void sigmoidGatedActivations()
    {
        // Every value in [-40, 40] in steps of 1/64, then some outside: 5,121 + 6 values, so
        // both the vector body and the scalar tail run.
        std::vector<float> inputs;
        for (int i = -40 * 64; i <= 40 * 64; ++i)
            inputs.push_back(float(i) / 64.0f);
        for (float v : { -1e4f, -100.0f, -87.5f, 90.0f, 1e4f, 3e-8f })
            inputs.push_back(v);
        const double beta = std::sqrt(2.0 / M_PI);
        const auto gelu = [&](double v) {
            return 0.5 * v * (1.0 + std::tanh(beta * (v + 0.044715 * v * v * v)));
        };
        const auto silu = [](double v) { return v / (1.0 + std::exp(-v)); };
        for (CpuKernel kernel : kernelsThisCpuRuns()) {
            std::vector<float> g = inputs;
            multiplyBySigmoid(g.data(), g.data(), std::int64_t(g.size()), float(2 * beta),
                float(2 * beta * 0.044715), kernel);
            std::vector<float> s(inputs.size());
            multiplyBySigmoid(inputs.data(), s.data(), std::int64_t(s.size()), 1.0f, 0.0f, kernel);
            for (std::size_t i = 0; i < inputs.size(); ++i) {
                const double v = inputs[i];
                // A few float32 roundings of the result, and of the argument (which moves the
                // gate by up to |u| ulp where the gate is steep).
                const double tolerance
                    = 4e-7 * std::abs(v) * (1.0 + 0.1 * std::min(std::abs(v), 40.0));
                QVERIFY2(std::abs(g[i] - gelu(v)) <= tolerance + 1e-30,
                    qPrintable(QString("%1, gelu(%2) = %3, expected %4")
                                   .arg(cpuKernelName(kernel))
                                   .arg(v)
                                   .arg(double(g[i]), 0, 'g', 9)
                                   .arg(gelu(v), 0, 'g', 9)));
                QVERIFY2(std::abs(s[i] - silu(v)) <= tolerance + 1e-30,
                    qPrintable(QString("%1, silu(%2) = %3, expected %4")
                                   .arg(cpuKernelName(kernel))
                                   .arg(v)
                                   .arg(double(s[i]), 0, 'g', 9)
                                   .arg(silu(v), 0, 'g', 9)));
            }
            float nan[9];
            std::fill(std::begin(nan), std::end(nan), NAN);
            multiplyBySigmoid(nan, nan, 9, 1.0f, 0.0f, kernel);
            for (float v : nan)
                QVERIFY(std::isnan(v));
        }
    }
};

QTEST_GUILESS_MAIN(TestFloatKernels)
#include "test_float_kernels.moc"
