// Bf16Matrix: rounding as torch's float -> bfloat16, and every kernel this CPU runs computes the
// products of the rounded weights with float32 sums, over odd shapes (row and column tails) and
// row ranges.

#include "model/bf16_matrix.h"

#include <QtTest/QtTest>
#include <cmath>
#include <cstring>
#include <random>

using namespace chatbench;

namespace {

float fromBits(std::uint32_t bits)
{
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

} // namespace

class TestBf16Matrix : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundsToNearestEven()
    {
        QCOMPARE(toBf16(1.0f), std::uint16_t(0x3f80));
        QCOMPARE(toBf16(-2.0f), std::uint16_t(0xc000));
        // 1 + 2^-8 lies halfway between 1 (even mantissa) and 1 + 2^-7: goes to 1.
        QCOMPARE(toBf16(fromBits(0x3f808000)), std::uint16_t(0x3f80));
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6: goes up to the even one.
        QCOMPARE(toBf16(fromBits(0x3f818000)), std::uint16_t(0x3f82));
        // Just above halfway rounds up; just below rounds down.
        QCOMPARE(toBf16(fromBits(0x3f808001)), std::uint16_t(0x3f81));
        QCOMPARE(toBf16(fromBits(0x3f807fff)), std::uint16_t(0x3f80));
        QVERIFY(std::isnan(fromBf16(toBf16(std::nanf("")))));
        QVERIFY(std::isinf(fromBf16(toBf16(INFINITY))));
        QCOMPARE(fromBf16(0x3f80), 1.0f);
        QCOMPARE(fromBf16(toBf16(0.15625f)), 0.15625f); // exact in bfloat16
    }

    void kernelsComputeTheRoundedProducts_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::newRow("4 x 256 (no tails)") << 4 << 256;
        QTest::newRow("37 x 300 (row and column tails)") << 37 << 300;
        QTest::newRow("3 x 7 (shorter than a vector)") << 3 << 7;
        QTest::newRow("130 x 768") << 130 << 768;
    }

    void kernelsComputeTheRoundedProducts()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        std::mt19937 random(std::uint32_t(rows * 1000 + cols));
        std::normal_distribution<float> normal;
        const auto nRows = std::size_t(rows), nCols = std::size_t(cols);
        std::vector<float> values(nRows * nCols), x(nCols);
        for (float &v : values)
            v = normal(random);
        for (float &v : x)
            v = normal(random);
        const Bf16Matrix byRows = Bf16Matrix::fromRows(values.data(), rows, cols);
        // fromColumns reads the transpose: the (cols, rows) layout of a Conv1D weight [in, out].
        std::vector<float> transposed(values.size());
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c)
                transposed[std::size_t(c * rows + r)] = values[std::size_t(r * cols + c)];
        const Bf16Matrix byColumns = Bf16Matrix::fromColumns(transposed.data(), rows, cols);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                QCOMPARE(byRows.at(r, c), toBf16(values[std::size_t(r * cols + c)]));
                QCOMPARE(byColumns.at(r, c), byRows.at(r, c));
            }

        // The exact products of the rounded weights, and the scale of their rounding noise.
        std::vector<double> exact(nRows), magnitude(nRows);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                const double term = double(fromBf16(byRows.at(r, c))) * x[std::size_t(c)];
                exact[std::size_t(r)] += term;
                magnitude[std::size_t(r)] += std::abs(term);
            }
        bool ranAny = false;
        for (auto kernel : { CpuKernel::Portable, CpuKernel::Avx2 }) {
            if (!cpuRuns(kernel))
                continue;
            ranAny = true;
            // Rows [1, rows - 1) only, added to y: the rows outside keep their values.
            std::vector<float> y(nRows, 0.5f);
            byRows.multiply(x.data(), y.data(), 1, rows - 1, /*accumulate=*/true, kernel);
            std::vector<float> fresh(nRows, NAN);
            byRows.multiply(x.data(), fresh.data(), 0, rows, /*accumulate=*/false, kernel);
            for (int r = 0; r < rows; ++r) {
                // float32 sums of up to 768 terms; one wrong weight would be off by ~magnitude /
                // cols.
                const double tolerance = 1e-5 * magnitude[std::size_t(r)] + 1e-6;
                const bool inside = r >= 1 && r < rows - 1;
                const double expected = inside ? exact[std::size_t(r)] + 0.5 : 0.5;
                QVERIFY2(std::abs(y[std::size_t(r)] - expected) <= tolerance,
                    qPrintable(QString("%1, row %2: %3 vs %4")
                                   .arg(cpuKernelName(kernel))
                                   .arg(r)
                                   .arg(y[std::size_t(r)])
                                   .arg(expected)));
                QVERIFY2(std::abs(fresh[std::size_t(r)] - exact[std::size_t(r)]) <= tolerance,
                    qPrintable(
                        QString("%1, row %2 (overwrite)").arg(cpuKernelName(kernel)).arg(r)));
            }
        }
        QVERIFY(ranAny);
        QVERIFY(cpuRuns(bestCpuKernel()));
        // Padded with zeros to whole groups of rows and chunks of columns.
        const auto round = [](std::int64_t n, std::int64_t to) { return (n + to - 1) / to * to; };
        QCOMPARE(byRows.bytes(),
            round(rows, Bf16Matrix::kGroupRows) * round(cols, Bf16Matrix::kChunkCols) * 2);
    }
};

QTEST_GUILESS_MAIN(TestBf16Matrix)
#include "test_bf16_matrix.moc"
