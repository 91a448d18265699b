// Device selection and bf16 autocast, as far as a CPU-only machine can check them: device names
// and the "no such device" messages, run.json's train.device / train.precision, the optimizer's
// GPU-path arithmetic (run on the CPU), autocast really switching matrix products to bf16, and a
// tiny bf16 training run whose loss falls, tracks the fp32 run's, and leaves fp32 checkpoints.

#include "chatbench/device.h"
#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "chatbench/trainer.h"
#include "common/errors.h"
#include "common/small_run.h"
#include "io/safetensors.h"
#include "model/device.h"
#include "model/gpt2.h"
#include "train/flat_adamw.h"

#include <QTemporaryDir>
#include <QtTest>
#include <chrono>
#include <cmath>
#include <functional>

using namespace chatbench;
using test::contains;
using test::errorOf;
namespace fs = std::filesystem;

namespace {

RunConfig tinyRun(const fs::path &corpus, Precision precision)
{
    RunConfig c = test::smallRunConfig(toString(precision), corpus, 42);
    c.epochs = 100; // maxSteps ends it
    c.batchSize = 8;
    c.lr = 3e-3;
    c.warmupSteps = 5;
    c.maxSteps = 60;
    c.validCount = 20;
    c.evalEvery = 30;
    c.saveEvery = 30;
    c.precision = precision;
    return c;
}

struct RunResult
{
    std::vector<double> losses; // per step
    double validLoss = 0;
    double seconds = 0;
};

RunResult train(const RunConfig &config, const fs::path &dir)
{
    RunResult r;
    auto trainer = Trainer::create(config, dir);
    trainer->setCallback([&](const TrainingEvent &e) {
        if (e.event == EventKind::Train)
            r.losses.push_back(e.loss);
        if (e.event == EventKind::Valid)
            r.validLoss = e.loss;
    });
    const auto start = std::chrono::steady_clock::now();
    trainer->run();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (trainer->state() != RunState::Finished)
        throw Error("run " + config.name + " ended " + toString(trainer->state()));
    return r;
}

double mean(const std::vector<double> &v, std::size_t from, std::size_t count)
{
    double s = 0;
    for (std::size_t i = from; i < from + count; ++i)
        s += v[i];
    return s / double(count);
}

} // namespace

class TestDevicePrecision : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deviceNames()
    {
        for (const char *ok : { "cpu", "cuda", "cuda:0", "cuda:7", "cuda:12" })
            QCOMPARE(
                errorOf([&] { checkDeviceName(ok); }), std::string("(no chatbench::Error thrown)"));
        for (const char *bad : { "", "CPU", "gpu", "cuda:", "cuda:-1", "cuda:x", "cuda0", "mps" })
            QVERIFY2(
                contains(errorOf([&] { checkDeviceName(bad); }), "expected cpu, cuda or cuda:N"),
                bad);
        QCOMPARE(cudaDeviceIndex("cuda:3"), 3);
        QCOMPARE(cudaDeviceIndex("cuda"), -1);
        QCOMPARE(deviceForLocalRank("cuda", 2), std::string("cuda:2"));
        QCOMPARE(deviceForLocalRank("cuda:1", 2), std::string("cuda:1"));
        QCOMPARE(deviceForLocalRank("cpu", 2), std::string("cpu"));
        QVERIFY(contains(errorOf([] { parsePrecision("fp16"); }), "expected fp32 or bf16"));
        QCOMPARE(parsePrecision("bf16"), Precision::Bf16);
        QCOMPARE(std::string(toString(Precision::Bf16)), std::string("bf16"));
    }

    void missingDeviceFailsClearly()
    {
        QCOMPARE(
            errorOf([] { requireDevice("cpu"); }), std::string("(no chatbench::Error thrown)"));
        if (!cudaBuilt()) {
            const std::string why = errorOf([] { requireDevice("cuda:0"); });
            QVERIFY2(contains(why, "this chatbench was built against a libtorch without CUDA"),
                why.c_str());
            QVERIFY2(contains(why, "'cuda:0'"), why.c_str());
            QCOMPARE(cudaDeviceCount(), 0);
            return;
        }
        const int n = cudaDeviceCount();
        const std::string why = errorOf([&] { requireDevice("cuda:" + std::to_string(n)); });
        QVERIFY2(
            contains(why,
                "no CUDA device " + std::to_string(n) + " (" + std::to_string(n) + " available)")
                || contains(why, "no CUDA device found"),
            why.c_str());
    }

    void runConfigKeys()
    {
        const std::string text = R"({"data": {"corpus": "c.txt"},
            "train": {"device": "cuda:1", "precision": "bf16"}})";
        RunConfig c = RunConfig::fromJsonText(text, "run.json", "/tmp");
        QCOMPARE(c.device, std::string("cuda:1"));
        QCOMPARE(c.precision, Precision::Bf16);
        RunConfig back = RunConfig::fromJsonText(c.toJsonText(), "again.json", "/tmp");
        QCOMPARE(back.device, c.device);
        QCOMPARE(back.precision, c.precision);
        QCOMPARE(
            RunConfig::fromJsonText(R"({"data": {"corpus": "c.txt"}})", "d.json", "/tmp").device,
            std::string("cpu"));
        const std::string badDevice = errorOf([] {
            RunConfig::fromJsonText(
                R"({"data": {"corpus": "c.txt"}, "train": {"device": "gpu0"}})", "x.json", "/tmp");
        });
        QVERIFY2(contains(badDevice, "x.json: 'train.device': device 'gpu0'"), badDevice.c_str());
        const std::string badPrecision = errorOf([] {
            RunConfig::fromJsonText(
                R"({"data": {"corpus": "c.txt"}, "train": {"precision": "fp16"}})", "y.json",
                "/tmp");
        });
        QVERIFY2(contains(badPrecision, "y.json: 'train.precision'"), badPrecision.c_str());
    }

    // The update a GPU model gets (whole-buffer tensor ops) equals the CPU's fused loop.
    void optimizerTensorOpsMatchFusedLoop()
    {
        Gpt2Config config = Gpt2Config::preset("tiny");
        config.nLayer = 2;
        config.nEmbd = 32;
        config.nHead = 2;
        config.vocabSize = 300;
        config.nPositions = 32;
        Gpt2LMHeadModel a(config), b(config);
        a->initWeights(3);
        b->initWeights(3);
        AdamWOptions fused;
        fused.weightDecay = 0.1;
        AdamWOptions ops = fused;
        ops.tensorOps = true;
        FlatAdamW fa(*a, fused), fb(*b, ops);
        for (int step = 0; step < 5; ++step) {
            auto grads = torch::randn({ fa.gradients().numel() }) * (step + 1);
            fa.gradients().copy_(grads);
            fb.gradients().copy_(grads);
            const double na = fa.clipGradNorm(1.0), nb = fb.clipGradNorm(1.0);
            QCOMPARE(na, nb);
            fa.step(1e-2);
            fb.step(1e-2);
        }
        const double diff = (fa.parameters() - fb.parameters()).abs().max().item<double>();
        const double moved = (fa.parameters() -
            [&] {
                Gpt2LMHeadModel fresh(config);
                fresh->initWeights(3);
                FlatAdamW f(*fresh, fused);
                return f.parameters().clone();
            }())
                                 .abs()
                                 .max()
                                 .item<double>();
        QVERIFY2(moved > 1e-3, qPrintable(QString::number(moved))); // the steps did something
        QVERIFY2(diff < 1e-6, qPrintable(QString("max difference %1").arg(diff)));
        QVERIFY((fa.expAvgSq() - fb.expAvgSq()).abs().max().item<double>() < 1e-9);
    }

    void autocastSwitchesMatrixProductsToBf16()
    {
        auto x = torch::randn({ 4, 8 }), w = torch::randn({ 8, 3 });
        {
            AutocastScope scope(torch::Device(torch::kCPU), true);
            QCOMPARE(torch::mm(x, w).scalar_type(), torch::kBFloat16);
            AutocastScope nested(torch::Device(torch::kCPU), true);
        }
        QCOMPARE(torch::mm(x, w).scalar_type(), torch::kFloat32); // restored after the scope
        {
            AutocastScope off(torch::Device(torch::kCPU), false);
            QCOMPARE(torch::mm(x, w).scalar_type(), torch::kFloat32);
        }
    }

    // Both runs start from the same weights and data; bf16 must learn, stay near fp32, and write
    // float32 checkpoints that load (and train on) as any other.
    void bf16RunTracksFp32()
    {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const fs::path corpus = test::writeTrainingCorpus(root / "corpus.txt", 300, 7);
        const RunResult fp32 = train(tinyRun(corpus, Precision::Fp32), root / "fp32");
        const RunResult bf16 = train(tinyRun(corpus, Precision::Bf16), root / "bf16");
        QCOMPARE(bf16.losses.size(), fp32.losses.size());
        const std::size_t n = bf16.losses.size();
        const double firstBf16 = mean(bf16.losses, 0, 5), lastBf16 = mean(bf16.losses, n - 5, 5);
        const double lastFp32 = mean(fp32.losses, n - 5, 5);
        qInfo("fp32: loss %.4f -> %.4f, valid %.4f, %.2f s; bf16: loss %.4f -> %.4f, valid %.4f, "
              "%.2f s",
            mean(fp32.losses, 0, 5), lastFp32, fp32.validLoss, fp32.seconds, firstBf16, lastBf16,
            bf16.validLoss, bf16.seconds);
        QVERIFY2(lastBf16 < firstBf16 - 1.0,
            qPrintable(QString("bf16 loss %1 -> %2").arg(firstBf16).arg(lastBf16)));
        // Loose: bf16 rounds every product to 8 mantissa bits, so the curves drift apart.
        QVERIFY2(std::abs(lastBf16 - lastFp32) < 0.15 * lastFp32,
            qPrintable(QString("last losses bf16 %1, fp32 %2").arg(lastBf16).arg(lastFp32)));
        QVERIFY2(std::abs(bf16.validLoss - fp32.validLoss) < 0.15 * fp32.validLoss,
            qPrintable(QString("valid bf16 %1, fp32 %2").arg(bf16.validLoss).arg(fp32.validLoss)));
        // Not identical either: the bf16 run really ran in bf16.
        QVERIFY(std::abs(bf16.losses.back() - fp32.losses.back()) > 1e-6);

        const RunDirectory dir = RunDirectory::open(root / "bf16");
        const auto latest = dir.latestCheckpoint();
        QVERIFY(latest.has_value());
        for (const char *file : { "model.safetensors", "optimizer.safetensors" }) {
            SafetensorsFile weights = SafetensorsFile::open(latest->dir / file);
            QVERIFY(!weights.tensors().empty());
            for (const TensorInfo &t : weights.tensors())
                QVERIFY2(t.dtype == DType::F32, (std::string(file) + ": " + t.name).c_str());
        }
        LanguageModel model = LanguageModel::load(latest->dir);
        model.toDevice("cpu");
        QCOMPARE(model.device(), std::string("cpu"));
        QVERIFY(std::isfinite(model.score({ 101, 300, 301, 302, 102 }).loss));

        // A bf16 run resumes in fp32 (a checkpoint is device- and precision-free).
        auto resumed = Trainer::resume(root / "bf16");
        resumed->overrideDevice("cpu", Precision::Fp32);
        QCOMPARE(resumed->config().precision, Precision::Fp32);
        QCOMPARE(RunConfig::fromJsonFile(root / "bf16" / "run.json").precision, Precision::Bf16);
        QVERIFY(
            contains(errorOf([&] { resumed->overrideDevice("gpu", Precision::Fp32); }), "'gpu'"));
    }
};

QTEST_GUILESS_MAIN(TestDevicePrecision)
#include "test_device_precision.moc"
