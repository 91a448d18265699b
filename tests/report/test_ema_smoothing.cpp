// TensorBoard's debiased EMA against values worked out by hand.

#include "ema_smoothing.h"

#include <QtTest/QtTest>
#include <cmath>

using chatbench::report::debiasedEma;
using chatbench::report::EmaSmoother;

class TestEmaSmoothing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handComputed()
    {
        // w = 0.5: last = 0.5, 1.25, 2.125; debias 1-0.5, 1-0.25, 1-0.125.
        const auto s = debiasedEma({ 1, 2, 3 }, 0.5);
        QCOMPARE(s.size(), std::size_t(3));
        QVERIFY(std::abs(s[0] - 1.0) < 1e-12);
        QVERIFY(std::abs(s[1] - 1.25 / 0.75) < 1e-12);
        QVERIFY(std::abs(s[2] - 2.125 / 0.875) < 1e-12);
        // w = 0.9 on a constant: debiasing keeps it exactly constant from the first point.
        for (double v : debiasedEma({ 4, 4, 4, 4, 4 }, 0.9))
            QVERIFY(std::abs(v - 4.0) < 1e-12);
        // w = 0.6, x = 10, 0: last = 4, 2.4; shown = 4/0.4 = 10, 2.4/0.64 = 3.75.
        const auto t = debiasedEma({ 10, 0 }, 0.6);
        QVERIFY(std::abs(t[0] - 10.0) < 1e-12);
        QVERIFY(std::abs(t[1] - 3.75) < 1e-12);
    }

    void zeroWeightIsIdentity()
    {
        const std::vector<double> v { 3, 1, 4, 1, 5 };
        QCOMPARE(debiasedEma(v, 0.0), v);
    }

    void nonFiniteValuesPassThrough()
    {
        const auto s = debiasedEma({ 1, std::nan(""), 3 }, 0.5);
        QVERIFY(std::isnan(s[1]));
        // The NaN neither counts nor moves the state: as if the series were {1, 3}.
        QVERIFY(std::abs(s[2] - (0.25 + 1.5) / 0.75) < 1e-12);
    }

    void incrementalMatchesHandComputed()
    {
        // w = 0.8: last = 0.8 last + 0.2 x = 1, 1.4, 2.72, 2.576, 2.4608, 3.36864; shown =
        // last / (1 - 0.8^n). The batch form must give the same.
        const std::vector<double> v { 5, 3, 8, 2, 2, 7 };
        const std::vector<double> expected { 1 / 0.2, 1.4 / 0.36, 2.72 / 0.488, 2.576 / 0.5904,
            2.4608 / 0.67232, 3.36864 / 0.737856 };
        EmaSmoother smoother(0.8);
        const auto batch = debiasedEma(v, 0.8);
        QCOMPARE(batch.size(), expected.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            const double incremental = smoother.add(v[i]);
            QVERIFY2(std::abs(incremental - expected[i]) < 1e-12, qPrintable(QString::number(i)));
            QVERIFY2(std::abs(batch[i] - expected[i]) < 1e-12, qPrintable(QString::number(i)));
        }
    }
};

QTEST_APPLESS_MAIN(TestEmaSmoothing)
#include "test_ema_smoothing.moc"
