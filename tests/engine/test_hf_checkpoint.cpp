// Hugging Face checkpoint folders: the layouts real checkpoints come in load to the same model,
// what ChatBench saves loads back identically, and every broken folder gets a specific message.

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "chatbench/language_model.h"
#include "common/fixture.h"
#include "common/raw_safetensors.h"
#include "io/safetensors.h"
#include "model/language_model_impl.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <cmath>
#include <fstream>
#include <torch/serialize.h>

using namespace chatbench;
namespace fs = std::filesystem;

namespace {

struct Stored
{
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

std::vector<Stored> fixtureTensors()
{
    auto st = SafetensorsFile::open(test::tinyGpt2Dir() / "model.safetensors");
    std::vector<Stored> out;
    for (const auto &info : st.tensors())
        out.push_back({ info.name, info.shape, st.readFloat32(info.name) });
    return out;
}

void writeFolder(
    const fs::path &dir, const std::vector<Stored> &tensors, DType dtype, const std::string &config)
{
    fs::create_directories(dir);
    std::vector<TensorToWrite> out;
    for (const auto &t : tensors)
        out.push_back({ t.name, t.shape, t.values.data(), dtype });
    writeSafetensors(dir / "model.safetensors", out, { { "format", "pt" } });
    writeFileAtomically(dir / "config.json", config);
}

std::string fixtureConfig()
{
    return readSmallFile(test::tinyGpt2Dir() / "config.json");
}

std::vector<float> lastLogits(const LanguageModel &m)
{
    return m.score({ 101, 252, 253, 254, 255, 102 }).lastLogits;
}

QString loadError(const fs::path &dir)
{
    try {
        LanguageModel::load(dir);
    } catch (const chatbench::Error &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestHfCheckpoint : public QObject
{
    Q_OBJECT
    QTemporaryDir m_tmp;
    fs::path tmp(const char *name) { return fs::path(m_tmp.path().toStdString()) / name; }

private Q_SLOTS:
    void saveLoadRoundTrip()
    {
        auto original = LanguageModel::load(test::tinyGpt2Dir());
        original.save(tmp("roundtrip"));
        QVERIFY(fs::exists(tmp("roundtrip") / "config.json"));

        auto a = SafetensorsFile::open(test::tinyGpt2Dir() / "model.safetensors");
        auto b = SafetensorsFile::open(tmp("roundtrip") / "model.safetensors");
        QCOMPARE(b.tensors().size(), a.tensors().size());
        QCOMPARE(b.metadata().at("format"), std::string("pt"));
        for (const auto &info : a.tensors()) {
            const TensorInfo *other = b.find(info.name);
            QVERIFY2(other, info.name.c_str());
            QCOMPARE(other->shape, info.shape);
            QCOMPARE(b.readFloat32(info.name), a.readFloat32(info.name));
        }
        auto reloaded = LanguageModel::load(tmp("roundtrip"));
        QCOMPARE(lastLogits(reloaded), lastLogits(original));
        QCOMPARE(reloaded.config().toJsonText(), original.config().toJsonText());
    }

    void layoutVariants_data()
    {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("names without transformer. prefix") << "noprefix" << 0.0;
        QTest::newRow("lm_head.weight stored") << "lmhead" << 0.0;
        QTest::newRow("legacy attn.bias and attn.masked_bias") << "legacy" << 0.0;
        QTest::newRow("F16 weights") << "f16" << 2e-3;
        QTest::newRow("BF16 weights") << "bf16" << 2e-2;
    }

    void layoutVariants()
    {
        QFETCH(QString, variant);
        QFETCH(double, tolerance);
        auto tensors = fixtureTensors();
        DType dtype = DType::F32;
        const std::string v = variant.toStdString();
        if (v == "noprefix") {
            for (auto &t : tensors)
                t.name = t.name.substr(std::string("transformer.").size());
        } else if (v == "lmhead") {
            for (const auto &t : fixtureTensors())
                if (t.name == "transformer.wte.weight")
                    tensors.push_back({ "lm_head.weight", t.shape, t.values });
        } else if (v == "legacy") {
            std::vector<float> mask(64 * 64, 1.0f);
            for (int layer = 0; layer < 2; ++layer) {
                const auto prefix = "transformer.h." + std::to_string(layer) + ".attn.";
                tensors.push_back({ prefix + "bias", { 1, 1, 64, 64 }, mask });
                tensors.push_back({ prefix + "masked_bias", {}, { -1e4f } });
            }
        } else {
            dtype = v == "f16" ? DType::F16 : DType::BF16;
        }
        const fs::path dir = tmp(v.c_str());
        writeFolder(dir, tensors, dtype, fixtureConfig());

        CheckpointReport report;
        auto model = LanguageModel::load(dir, &report);
        QVERIFY2(
            test::maxDiff(lastLogits(model), lastLogits(LanguageModel::load(test::tinyGpt2Dir())))
                <= tolerance,
            qPrintable(variant));
        QCOMPARE(report.namePrefixed, v != "noprefix");
        QCOMPARE(report.lmHeadStored, v == "lmhead");
        QCOMPARE(report.ignored.size(), std::size_t(v == "legacy" ? 4 : 0));
        QVERIFY(report.warnings.empty());
    }

    // Older transformers saved the causal-mask buffers as BOOL or U8 (and the masked_bias as a
    // float scalar): whatever their dtype they are validated and skipped, and the model matches
    // the fixture exactly.
    void legacyBuffersOfAnyDtype_data()
    {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("prefixed");
        for (const auto &[dtype, size] : { std::pair { "BOOL", 1 }, { "U8", 1 }, { "I8", 1 },
                 { "I64", 8 }, { "F32", 4 }, { "F16", 2 }, { "F64", 8 } })
            for (bool prefixed : { true, false })
                QTest::newRow(qPrintable(QString("%1%2").arg(dtype, prefixed ? "" : " no prefix")))
                    << QString(dtype) << size << prefixed;
    }

    void legacyBuffersOfAnyDtype()
    {
        QFETCH(QString, dtype);
        QFETCH(int, size);
        QFETCH(bool, prefixed);
        std::vector<test::RawTensor> raw;
        const std::string cut = prefixed ? "" : "transformer.";
        for (const auto &t : fixtureTensors())
            raw.push_back(
                { t.name.substr(cut.size()), "F32", t.shape, test::floatBytes(t.values) });
        for (int layer = 0; layer < 2; ++layer) {
            const std::string prefix = (prefixed ? "transformer.h." : "h.") + std::to_string(layer);
            raw.push_back({ prefix + ".attn.bias", dtype.toStdString(), { 1, 1, 64, 64 },
                test::filled(64 * 64, size, 1) });
            raw.push_back({ prefix + ".attn.masked_bias", dtype.toStdString(), {},
                test::filled(1, size, 0) });
        }
        const fs::path dir = tmp(qPrintable("legacy-" + dtype + (prefixed ? "" : "-np")));
        fs::create_directories(dir);
        test::writeRawSafetensors(dir / "model.safetensors", raw);
        writeFileAtomically(dir / "config.json", fixtureConfig());
        CheckpointReport report;
        const auto model = LanguageModel::load(dir, &report);
        QCOMPARE(
            test::maxDiff(lastLogits(model), lastLogits(LanguageModel::load(test::tinyGpt2Dir()))),
            0.0);
        QCOMPARE(report.ignored.size(), std::size_t(4));
        QCOMPARE(report.storedDtype, std::string("F32"));
        QVERIFY(report.unexpected.empty() && report.warnings.empty());
    }

    // A skipped buffer is still checked: offsets inside the file, size consistent with its
    // dtype. And a weight in a dtype that is no float is refused, by name.
    void legacyBuffersAreValidatedAndWeightsMustBeFloats()
    {
        const auto base = [] {
            std::vector<test::RawTensor> raw;
            for (const auto &t : fixtureTensors())
                raw.push_back({ t.name, "F32", t.shape, test::floatBytes(t.values) });
            return raw;
        };
        const fs::path dir = tmp("legacy-bad");
        fs::create_directories(dir);
        writeFileAtomically(dir / "config.json", fixtureConfig());

        auto raw = base();
        raw.push_back({ "transformer.h.0.attn.bias", "BOOL", { 1, 1, 64, 64 },
            test::filled(64 * 64 - 1, 1, 1) }); // one byte short
        test::writeRawSafetensors(dir / "model.safetensors", raw);
        QString error = loadError(dir);
        QVERIFY2(error.contains("tensor 'transformer.h.0.attn.bias'")
                && error.contains("4095 bytes") && error.contains("4096"),
            qPrintable(error));

        raw = base();
        for (auto &t : raw)
            if (t.name == "transformer.h.1.mlp.c_proj.bias") {
                t.dtype = "I8";
                t.bytes = test::filled(t.shape[0], 1, 0);
            }
        test::writeRawSafetensors(dir / "model.safetensors", raw);
        error = loadError(dir);
        QVERIFY2(error.contains("unsupported dtype I8 for tensor 'transformer.h.1.mlp.c_proj.bias'")
                && error.contains("F32, F16, BF16 or F64"),
            qPrintable(error));
    }

    void pickleCheckpointWithBoolAndByteBuffers()
    {
        c10::impl::GenericDict dict(c10::StringType::get(), c10::TensorType::get());
        for (const auto &t : fixtureTensors())
            dict.insert(t.name, torch::tensor(t.values).reshape(t.shape));
        dict.insert("transformer.h.0.attn.bias", torch::ones({ 1, 1, 64, 64 }, torch::kBool));
        dict.insert("transformer.h.1.attn.bias", torch::ones({ 1, 1, 64, 64 }, torch::kUInt8));
        dict.insert("transformer.h.0.attn.masked_bias", torch::tensor(-1e4));
        const fs::path dir = tmp("pickle-legacy");
        fs::create_directories(dir);
        const auto bytes = torch::pickle_save(dict);
        writeFileAtomically(dir / "pytorch_model.bin", { bytes.data(), bytes.size() });
        writeFileAtomically(dir / "config.json", fixtureConfig());
        CheckpointReport report;
        const auto model = LanguageModel::load(dir, &report);
        QCOMPARE(
            test::maxDiff(lastLogits(model), lastLogits(LanguageModel::load(test::tinyGpt2Dir()))),
            0.0);
        QCOMPARE(report.ignored.size(), std::size_t(3));

        dict.insert_or_assign("transformer.ln_f.bias", torch::zeros({ 32 }, torch::kUInt8));
        const auto bad = torch::pickle_save(dict);
        writeFileAtomically(dir / "pytorch_model.bin", { bad.data(), bad.size() });
        const QString error = loadError(dir);
        QVERIFY2(error.contains("unsupported dtype") && error.contains("transformer.ln_f.bias"),
            qPrintable(error));
    }

    void pickleCheckpoint()
    {
        c10::impl::GenericDict dict(c10::StringType::get(), c10::TensorType::get());
        for (const auto &t : fixtureTensors())
            dict.insert(t.name, torch::tensor(t.values).reshape(t.shape).to(torch::kHalf));
        const auto bytes = torch::pickle_save(dict);
        const fs::path dir = tmp("pickle");
        fs::create_directories(dir);
        writeFileAtomically(dir / "pytorch_model.bin", { bytes.data(), bytes.size() });
        writeFileAtomically(dir / "config.json", fixtureConfig());
        CheckpointReport report;
        auto model = LanguageModel::load(dir, &report);
        QCOMPARE(report.weightsFile.filename().string(), std::string("pytorch_model.bin"));
        QVERIFY(
            test::maxDiff(lastLogits(model), lastLogits(LanguageModel::load(test::tinyGpt2Dir())))
            < 2e-3);

        writeFileAtomically(dir / "pytorch_model.bin", "PK\x03\x04 not really a zip");
        QVERIFY2(loadError(dir).contains("safe_serialization=True"), qPrintable(loadError(dir)));
    }

    void unexpectedTensorIsReported()
    {
        auto tensors = fixtureTensors();
        tensors.push_back({ "score.weight", { 2, 32 }, std::vector<float>(64, 0.5f) });
        writeFolder(tmp("extra"), tensors, DType::F32, fixtureConfig());
        CheckpointReport report;
        LanguageModel::load(tmp("extra"), &report);
        QCOMPARE(report.unexpected, std::vector<std::string> { "score.weight" });
        QCOMPARE(report.warnings.size(), std::size_t(1));
    }

    void brokenFolders_data()
    {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no folder") << "nofolder"
                                   << "not a folder";
        QTest::newRow("no weights") << "noweights"
                                    << "no model weights";
        QTest::newRow("no config.json") << "noconfig"
                                        << "config.json: missing";
        QTest::newRow("config.json bad JSON") << "badjson"
                                              << "config.json:4: column 21: invalid JSON";
        QTest::newRow("config.json not an object") << "array"
                                                   << "expected a JSON object";
        QTest::newRow("n_head does not divide n_embd") << "nhead"
                                                       << "'n_head': 3 does not divide n_embd 32";
        // Found by fuzz/fuzz_gpt2_config: parameterCount() overflowed int64 (UBSan).
        QTest::newRow("sizes overflow the parameter count") << "huge"
                                                            << "give over 2^62 parameters";
        QTest::newRow("vocab_size is a string") << "vocabtype"
                                                << "'vocab_size': expected an integer, got string";
        QTest::newRow("unsupported activation") << "activation"
                                                << "unsupported 'swiglu'";
        QTest::newRow("not a GPT-2 config") << "bert"
                                            << "'model_type': 'bert' is not a GPT-2 model";
        QTest::newRow("missing tensor") << "missing"
                                        << "1 missing tensor(s): transformer.ln_f.weight";
        QTest::newRow("wrong shape for config")
            << "shape"
            << "transformer.wpe.weight is [64, 32], expected [128, 32]";
    }

    void brokenFolders()
    {
        QFETCH(QString, breakage);
        QFETCH(QString, expected);
        const std::string b = breakage.toStdString();
        const fs::path dir = tmp(("broken-" + b).c_str());
        auto tensors = fixtureTensors();
        std::string config = fixtureConfig();
        auto replace = [&](const std::string &from, const std::string &to) {
            auto pos = config.find(from);
            QVERIFY2(pos != std::string::npos, from.c_str());
            config.replace(pos, from.size(), to);
        };
        if (b == "badjson")
            replace("\"attn_pdrop\": 0.1,", "\"attn_pdrop\": 0.1,,");
        else if (b == "array")
            config = "[1, 2]";
        else if (b == "nhead")
            replace("\"n_head\": 2", "\"n_head\": 3");
        else if (b == "huge")
            replace("\"n_embd\": 32", "\"n_embd\": 555567186432");
        else if (b == "vocabtype")
            replace("\"vocab_size\": 600", "\"vocab_size\": \"600\"");
        else if (b == "activation")
            replace("\"gelu_new\"", "\"swiglu\"");
        else if (b == "bert")
            replace("\"model_type\": \"gpt2\"", "\"model_type\": \"bert\"");
        else if (b == "shape")
            replace("\"n_positions\": 64", "\"n_positions\": 128");
        else if (b == "missing")
            tensors.erase(std::find_if(tensors.begin(), tensors.end(),
                [](const Stored &t) { return t.name == "transformer.ln_f.weight"; }));
        if (b != "nofolder")
            writeFolder(dir, tensors, DType::F32, config);
        if (b == "noweights")
            fs::remove(dir / "model.safetensors");
        if (b == "noconfig")
            fs::remove(dir / "config.json");
        const QString message = loadError(dir);
        QVERIFY2(message.contains(expected), qPrintable(message));
    }

    void createIsDeterministicAndHfInitialised()
    {
        Gpt2Config config;
        config.vocabSize = 600;
        config.nPositions = 64;
        config.nEmbd = 64;
        config.nLayer = 8;
        config.nHead = 4;
        auto a = LanguageModel::create(config, 7);
        auto b = LanguageModel::create(config, 7);
        auto c = LanguageModel::create(config, 8);
        QCOMPARE(lastLogits(a), lastLogits(b));
        QVERIFY(lastLogits(a) != lastLogits(c));

        auto params = a.impl().model->named_parameters();
        const double projStd = params["transformer.h.0.mlp.c_proj.weight"].std().item<double>();
        const double fcStd = params["transformer.h.0.mlp.c_fc.weight"].std().item<double>();
        QVERIFY2(std::abs(projStd - 0.02 / 4.0) < 0.0005, qPrintable(QString::number(projStd)));
        QVERIFY2(std::abs(fcStd - 0.02) < 0.001, qPrintable(QString::number(fcStd)));
        QCOMPARE(params["transformer.h.0.ln_1.weight"].sum().item<double>(), 64.0);
        QCOMPARE(params["transformer.h.0.attn.c_attn.bias"].abs().sum().item<double>(), 0.0);
        QCOMPARE(a.parameterCount(),
            std::int64_t(std::accumulate(params.begin(), params.end(), std::int64_t(0),
                [](std::int64_t n, const auto &p) { return n + p.value().numel(); })));
    }
};

QTEST_GUILESS_MAIN(TestHfCheckpoint)
#include "test_hf_checkpoint.moc"
