// FlatAdamW and the learning-rate schedule: the flat-buffer optimizer must update a GPT-2 exactly
// as libtorch's own per-tensor AdamW with the same decay groups and clip_grad_norm_ would.

#include "model/gpt2.h"
#include "model/lm_loss.h"
#include "train/flat_adamw.h"
#include "train/lr_schedule.h"

#include <QtTest/QtTest>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>

using namespace chatbench;

namespace {

Gpt2Config tinyConfig()
{
    Gpt2Config c;
    c.vocabSize = 97;
    c.nPositions = 32;
    c.nEmbd = 32;
    c.nLayer = 2;
    c.nHead = 4;
    c.residPdrop = c.embdPdrop = c.attnPdrop = 0.0;
    return c;
}

torch::Tensor lossOf(Gpt2LMHeadModel &model, const torch::Tensor &ids)
{
    return causalLmLoss(model->forward(ids), ids).loss;
}

double maxParamDiff(Gpt2LMHeadModel &a, Gpt2LMHeadModel &b)
{
    double worst = 0;
    auto pa = a->named_parameters(), pb = b->named_parameters();
    for (const auto &item : pa)
        worst = std::max(worst, (item.value() - pb[item.key()]).abs().max().item<double>());
    return worst;
}

} // namespace

class TestFlatAdamW : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorchAdamW()
    {
        Gpt2LMHeadModel flatModel(tinyConfig()), refModel(tinyConfig());
        flatModel->initWeights(3);
        refModel->initWeights(3);
        const double wd = 0.1, clip = 0.5;
        FlatAdamW flat(*flatModel, { 0.9, 0.999, 1e-8, wd });

        std::vector<torch::Tensor> decay, noDecay;
        for (const auto &p : refModel->parameters())
            (p.dim() >= 2 ? decay : noDecay).push_back(p);
        std::vector<torch::optim::OptimizerParamGroup> groups;
        groups.emplace_back(decay,
            std::make_unique<torch::optim::AdamWOptions>(
                torch::optim::AdamWOptions(1e-3).weight_decay(wd)));
        groups.emplace_back(noDecay,
            std::make_unique<torch::optim::AdamWOptions>(
                torch::optim::AdamWOptions(1e-3).weight_decay(0.0)));
        torch::optim::AdamW reference(groups, torch::optim::AdamWOptions(1e-3));
        QCOMPARE(flat.decayedCount(),
            std::accumulate(decay.begin(), decay.end(), std::int64_t(0),
                [](std::int64_t n, const torch::Tensor &t) { return n + t.numel(); }));

        LrSchedule schedule { 3e-3, 2, 6, Schedule::Cosine };
        auto generator = at::detail::createCPUGenerator(11);
        for (int step = 0; step < 6; ++step) {
            auto ids = torch::randint(0, 97, { 4, 16 }, generator, torch::kLong);
            const double lr = schedule.at(step);

            flat.zeroGrad();
            lossOf(flatModel, ids).backward();
            const double flatNorm = flat.clipGradNorm(clip);
            flat.step(lr);

            reference.zero_grad();
            lossOf(refModel, ids).backward();
            const double refNorm = torch::nn::utils::clip_grad_norm_(refModel->parameters(), clip);
            for (auto &group : reference.param_groups())
                static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);
            reference.step();

            QVERIFY2(std::abs(flatNorm - refNorm) < 1e-4 * refNorm,
                qPrintable(QString("norm %1 vs %2").arg(flatNorm).arg(refNorm)));
            const double diff = maxParamDiff(flatModel, refModel);
            QVERIFY2(diff < 1e-5, qPrintable(QString("step %1: max diff %2").arg(step).arg(diff)));
        }
        QVERIFY(maxParamDiff(flatModel, refModel) < 1e-5);
        QCOMPARE(flat.stepCount(), std::int64_t(6));
    }

    void flatteningKeepsTheModel()
    {
        Gpt2LMHeadModel model(tinyConfig());
        model->initWeights(5);
        auto ids = torch::arange(0, 12, torch::kLong).unsqueeze(0);
        torch::Tensor before;
        {
            torch::NoGradGuard noGrad;
            before = model->forward(ids).clone();
        }
        FlatAdamW flat(*model, {});
        torch::NoGradGuard noGrad;
        QVERIFY(torch::equal(model->forward(ids), before));
    }

    void schedules()
    {
        LrSchedule linear { 1.0, 10, 110, Schedule::Linear };
        QCOMPARE(linear.at(0), 0.0);
        QCOMPARE(linear.at(5), 0.5);
        QCOMPARE(linear.at(10), 1.0);
        QCOMPARE(linear.at(60), 0.5);
        QCOMPARE(linear.at(110), 0.0);
        QCOMPARE(linear.at(200), 0.0);
        LrSchedule cosine { 1.0, 0, 100, Schedule::Cosine };
        QCOMPARE(cosine.at(0), 1.0);
        QVERIFY(std::abs(cosine.at(50) - 0.5) < 1e-12);
        QVERIFY(std::abs(cosine.at(100)) < 1e-12);
        LrSchedule constant { 2.0, 4, 0, Schedule::Constant };
        QCOMPARE(constant.at(2), 1.0);
        QCOMPARE(constant.at(1000), 2.0);
        QCOMPARE(parseSchedule("cosine"), Schedule::Cosine);
        QVERIFY_THROWS_EXCEPTION(std::exception, parseSchedule("step"));
    }
};

QTEST_GUILESS_MAIN(TestFlatAdamW)
#include "test_flat_adamw.moc"
