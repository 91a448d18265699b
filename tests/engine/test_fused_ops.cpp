// The hand-written training ops against ATen's: same values and gradients, same statistics.

#include "model/causal_attention.h"
#include "model/fused_ops.h"
#include "model/lm_loss.h"

#include <ATen/ATen.h>
#include <QtTest>
#include <torch/autograd.h>

using namespace chatbench;

class TestFusedOps : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void crossEntropyMatchesAten()
    {
        torch::manual_seed(3);
        auto logits = (torch::randn({ 37, 501 }) * 4).requires_grad_(true);
        auto targets = torch::randint(0, 501, { 37 }, torch::kLong);
        auto reference = at::cross_entropy_loss(logits, targets, {}, at::Reduction::Mean, -100);
        auto expectedGrad = torch::autograd::grad({ reference * 1.7 }, { logits })[0];

        CrossEntropy ce = softmaxCrossEntropy(logits, targets);
        QVERIFY(std::abs(ce.loss.item<double>() - reference.item<double>()) < 1e-5);
        QVERIFY(torch::equal(ce.argmax, logits.argmax(1)));
        auto grad = torch::autograd::grad({ ce.loss * 1.7 }, { logits })[0];
        QVERIFY((grad - expectedGrad).abs().max().item<double>() < 1e-6);
    }

    void lossFromHiddenStatesEqualsLossFromLogits()
    {
        torch::manual_seed(4);
        auto hidden = torch::randn({ 3, 9, 16 }).requires_grad_(true);
        auto wte = torch::randn({ 50, 16 }).requires_grad_(true);
        auto labels = torch::randint(0, 50, { 3, 9 }, torch::kLong);
        labels.index_put_({ 1, torch::indexing::Slice(5, torch::indexing::None) }, -100); // padding
        LmLoss a = causalLmLoss(torch::matmul(hidden, wte.t()), labels);
        auto ga = torch::autograd::grad({ a.loss }, { hidden, wte });
        LmLoss b = causalLmLossFromHidden(hidden, labels, wte);
        auto gb = torch::autograd::grad({ b.loss }, { hidden, wte });
        QCOMPARE(b.nCounted, a.nCounted);
        QCOMPARE(b.nCorrect, a.nCorrect);
        QVERIFY(std::abs(a.loss.item<double>() - b.loss.item<double>()) < 1e-5);
        for (int i = 0; i < 2; ++i)
            QVERIFY((ga[std::size_t(i)] - gb[std::size_t(i)]).abs().max().item<double>() < 1e-5);
    }

    void causalSoftmaxMatchesAten_data()
    {
        QTest::addColumn<int>("T");
        QTest::addColumn<int>("past");
        QTest::newRow("training: 13 queries, no cache") << 13 << 0;
        QTest::newRow("prompt after 5 cached positions") << 6 << 5;
        QTest::newRow("one token after 9 cached") << 1 << 9;
    }

    void causalSoftmaxMatchesAten()
    {
        QFETCH(int, T);
        QFETCH(int, past);
        torch::manual_seed(6);
        const std::int64_t K = past + T;
        auto scores = (torch::randn({ 2, 3, T, K }) * 5).requires_grad_(true);
        const double scale = 0.125;
        auto mask = torch::ones({ T, K }, torch::kBool).triu(past + 1);
        auto reference = torch::softmax(
            (scores * scale).masked_fill(mask, -std::numeric_limits<float>::infinity()), -1);
        auto weights = torch::randn({ 2, 3, T, K }); // a loss that weighs every probability
        auto expectedGrad = torch::autograd::grad({ (reference * weights).sum() }, { scores })[0];

        auto p = causalSoftmax(scores, scale, past);
        QVERIFY((p - reference).abs().max().item<double>() < 1e-6);
        QVERIFY(p.masked_select(mask.expand_as(p)).eq(0).all().item<bool>());
        auto grad = torch::autograd::grad({ (p * weights).sum() }, { scores })[0];
        QVERIFY2((grad - expectedGrad).abs().max().item<double>() < 1e-6,
            qPrintable(QString::number((grad - expectedGrad).abs().max().item<double>())));
        // Without gradients (decoding) the same values.
        torch::NoGradGuard noGrad;
        QVERIFY((causalSoftmax(scores.detach(), scale, past) - reference).abs().max().item<double>()
            < 1e-6);
    }

    void causalSelfAttentionMatchesAten()
    {
        torch::manual_seed(8);
        const std::int64_t B = 2, T = 11, nh = 3, hs = 5, C = nh * hs;
        auto qkv = torch::randn({ B, T, 3 * C }).requires_grad_(true);
        const double scale = 1.0 / std::sqrt(double(hs));
        auto parts = qkv.split(C, 2);
        const auto heads = [&](const torch::Tensor &t) {
            return t.view({ B, T, nh, hs }).transpose(1, 2);
        };
        auto att = torch::matmul(heads(parts[0]), heads(parts[1]).transpose(-2, -1)) * scale;
        att = att.masked_fill(
            torch::ones({ T, T }, torch::kBool).triu(1), -std::numeric_limits<float>::infinity());
        auto reference = torch::matmul(torch::softmax(att, -1), heads(parts[2]))
                             .transpose(1, 2)
                             .reshape({ B, T, C });
        auto weights = torch::randn({ B, T, C });
        auto expectedGrad = torch::autograd::grad({ (reference * weights).sum() }, { qkv })[0];

        QVERIFY(causalSelfAttentionApplies(qkv));
        auto y = causalSelfAttention(qkv, nh, scale, 0.0);
        QVERIFY2((y - reference).abs().max().item<double>() < 1e-5,
            qPrintable(QString::number((y - reference).abs().max().item<double>())));
        auto grad = torch::autograd::grad({ (y * weights).sum() }, { qkv })[0];
        QVERIFY2((grad - expectedGrad).abs().max().item<double>() < 1e-5,
            qPrintable(QString::number((grad - expectedGrad).abs().max().item<double>())));

        // With dropout on the probabilities: the same seed draws the same masks, so the gradient
        // must match central differences of the same function along a random direction.
        const double p = 0.3;
        const auto loss = [&](const torch::Tensor &x) {
            torch::manual_seed(99);
            return (causalSelfAttention(x, nh, scale, p) * weights).sum();
        };
        auto dropped = loss(qkv);
        QVERIFY(std::abs(dropped.item<double>() - (y * weights).sum().item<double>()) > 1e-3);
        auto droppedGrad = torch::autograd::grad({ dropped }, { qkv })[0];
        torch::NoGradGuard noGrad;
        auto direction = torch::randn({ B, T, 3 * C });
        const double eps = 1e-2;
        const double numeric
            = (loss(qkv + eps * direction) - loss(qkv - eps * direction)).item<double>()
            / (2 * eps);
        const double analytic = (droppedGrad * direction).sum().item<double>();
        QVERIFY2(std::abs(numeric - analytic) < 1e-3 * (1.0 + std::abs(analytic)),
            qPrintable(QString("numeric %1, analytic %2").arg(numeric).arg(analytic)));
    }

    void sigmoidGatedActivationsMatchAten_data()
    {
        QTest::addColumn<QString>("activation");
        QTest::newRow("gelu tanh") << "gelu";
        QTest::newRow("silu") << "silu";
    }

    void sigmoidGatedActivationsMatchAten()
    {
        QFETCH(QString, activation);
        torch::manual_seed(7);
        // 3 x 1001 values: a whole number of vectors and a tail in each task; -15 .. 15 covers the
        // gate's saturated ends.
        auto x = (torch::randn({ 3, 1001 }) * 5).clamp(-15, 15).requires_grad_(true);
        const double twoBeta = 2.0 * std::sqrt(2.0 / M_PI);
        const bool gelu = activation == "gelu";
        const auto aten = [&](const torch::Tensor &t) {
            return gelu ? torch::gelu(t, "tanh") : torch::silu(t);
        };
        auto y = gelu ? sigmoidGatedActivation(x, twoBeta, twoBeta * 0.044715, aten)
                      : sigmoidGatedActivation(x, 1.0, 0.0, aten);
        auto reference = aten(x);
        QVERIFY2((y - reference).abs().max().item<double>() < 1e-5,
            qPrintable(QString::number((y - reference).abs().max().item<double>())));
        auto weights = torch::randn({ 3, 1001 });
        auto grad = torch::autograd::grad({ (y * weights).sum() }, { x })[0];
        auto expectedGrad = torch::autograd::grad({ (reference * weights).sum() }, { x })[0];
        QVERIFY2((grad - expectedGrad).abs().max().item<double>() < 1e-5,
            qPrintable(QString::number((grad - expectedGrad).abs().max().item<double>())));
    }

    void dropoutKeepsTheRightFractionAndScales()
    {
        torch::manual_seed(5);
        auto x = torch::ones({ 1000, 1000 }).requires_grad_(true);
        auto y = fastDropout(x, 0.1, true);
        const double kept = y.ne(0).to(torch::kDouble).mean().item<double>();
        QVERIFY2(std::abs(kept - 0.9) < 0.002, qPrintable(QString::number(kept)));
        QVERIFY(std::abs(y.max().item<double>() - 1.0 / 0.9) < 1e-6);
        // The gradient flows through exactly the kept elements, with the same scale.
        auto g = torch::autograd::grad({ y.sum() }, { x })[0];
        QVERIFY(torch::equal(g, y.detach()));
        // Reproducible from torch's generator; different draws on each call; identity in eval.
        torch::manual_seed(5);
        QVERIFY(torch::equal(fastDropout(x, 0.1, true), y));
        QVERIFY(!torch::equal(fastDropout(x, 0.1, true), y));
        QVERIFY(torch::equal(fastDropout(x, 0.1, false), x));
        QVERIFY(torch::equal(fastDropout(x, 0.0, true), x));
    }
};

QTEST_GUILESS_MAIN(TestFusedOps)
#include "test_fused_ops.moc"
