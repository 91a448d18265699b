// GPT-2 + Transformer encoder-decoder: Hugging Face's cross-attention names, GPT-2 unchanged
// without cross-attention, masking and causality, incremental decoding, checkpoints, starting
// from a pretrained GPT-2, dialogue pairs, and a tiny copy task it must learn.

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "common/errors.h"
#include "common/fixture.h"
#include "common/raw_safetensors.h"
#include "io/safetensors.h"
#include "model/encoder_decoder_checkpoint.h"
#include "model/gpt2_encoder_decoder.h"
#include "model/hf_checkpoint.h"
#include "train/flat_adamw.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <c10/core/InferenceMode.h>
#include <set>

using namespace chatbench;
using test::contains;
using test::errorOf;
namespace fs = std::filesystem;

namespace {

Gpt2Config tinyConfig()
{
    Gpt2Config c;
    c.vocabSize = 40;
    c.nPositions = 32;
    c.nEmbd = 32;
    c.nLayer = 2;
    c.nHead = 4;
    c.residPdrop = c.embdPdrop = c.attnPdrop = 0.0;
    c.bosTokenId = 1, c.eosTokenId = 2, c.padTokenId = 0;
    return c;
}

Gpt2EncoderDecoder tinyModel(std::uint64_t seed = 7)
{
    Gpt2EncoderDecoder m(tinyConfig(), tinyConfig());
    m->initWeights(seed);
    m->eval();
    return m;
}

torch::Tensor ids(const std::vector<std::vector<std::int64_t>> &rows)
{
    std::vector<torch::Tensor> out;
    for (const auto &r : rows)
        out.push_back(torch::tensor(r, torch::kLong));
    return torch::stack(out);
}

double maxDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a - b).abs().max().item<double>();
}

// GPT2-chitchat rows padded with 0 into a Batch.
Batch makeBatch(const std::vector<std::vector<std::int32_t>> &rows)
{
    Batch b;
    b.rows = rows.size();
    for (const auto &r : rows)
        b.columns = std::max(b.columns, r.size());
    b.ids.assign(b.rows * b.columns, 0);
    b.labels.assign(b.rows * b.columns, -100);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        std::copy(rows[i].begin(), rows[i].end(), b.ids.begin() + i * b.columns);
        std::copy(rows[i].begin(), rows[i].end(), b.labels.begin() + i * b.columns);
        b.lengths.push_back(std::int32_t(rows[i].size()));
    }
    return b;
}

PairOptions tinyPairs()
{
    PairOptions o;
    o.clsId = 1, o.sepId = 2, o.padId = 0;
    return o;
}

} // namespace

class TestEncoderDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void huggingFaceNames()
    {
        auto model = tinyModel();
        std::set<std::string> block;
        const std::string prefix = "decoder.transformer.h.0.";
        for (const auto &item : model->named_parameters())
            if (item.key().compare(0, prefix.size(), prefix) == 0)
                block.insert(item.key().substr(prefix.size()));
        // GPT2Block(add_cross_attention=True).state_dict() keys in transformers.
        const std::set<std::string> hf = { "ln_1.weight", "ln_1.bias", "attn.c_attn.weight",
            "attn.c_attn.bias", "attn.c_proj.weight", "attn.c_proj.bias", "ln_cross_attn.weight",
            "ln_cross_attn.bias", "crossattention.c_attn.weight", "crossattention.c_attn.bias",
            "crossattention.q_attn.weight", "crossattention.q_attn.bias",
            "crossattention.c_proj.weight", "crossattention.c_proj.bias", "ln_2.weight",
            "ln_2.bias", "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight",
            "mlp.c_proj.bias" };
        QVERIFY(block == hf);

        auto params = model->named_parameters();
        const std::int64_t C = 32;
        QCOMPARE(params["decoder.transformer.h.1.crossattention.q_attn.weight"].sizes().vec(),
            (std::vector<std::int64_t> { C, C }));
        QCOMPARE(params["decoder.transformer.h.1.crossattention.c_attn.weight"].sizes().vec(),
            (std::vector<std::int64_t> { C, 2 * C }));
        QCOMPARE(params["decoder.transformer.h.1.crossattention.c_proj.weight"].sizes().vec(),
            (std::vector<std::int64_t> { C, C }));
        for (const char *name : { "encoder.wpe.weight", "encoder.ln_f.weight",
                 "encoder.h.1.attn.c_attn.weight", "decoder.transformer.wte.weight" })
            QVERIFY2(params.find(name), name);
        QVERIFY(!params.find("encoder.wte.weight")); // shared with the decoder
        for (const auto &item : params)
            QVERIFY2(item.key().find("encoder.h.0.crossattention") == std::string::npos,
                item.key().c_str());

        // parameterCount counts the cross-attention; the flag goes through config.json.
        Gpt2Config cross = tinyConfig();
        cross.addCrossAttention = true;
        std::int64_t n = 0;
        for (const auto &p : model->decoder->parameters())
            n += p.numel();
        QCOMPARE(cross.parameterCount(), n);
        QVERIFY(Gpt2Config::fromJsonText(cross.toJsonText(), "t").addCrossAttention);
        QVERIFY(!Gpt2Config::fromJsonText(tinyConfig().toJsonText(), "t").addCrossAttention);
    }

    void gpt2Unchanged()
    {
        // The golden logits of the fixture, through a plain GPT-2 and through a decoder with
        // cross-attention that is given no encoder output (HF skips cross-attention then).
        auto gpt2 = loadGpt2Checkpoint(test::tinyGpt2Dir(), nullptr);
        Gpt2Config crossConfig = gpt2->config();
        crossConfig.addCrossAttention = true;
        Gpt2LMHeadModel decoder(crossConfig);
        decoder->eval();
        {
            torch::NoGradGuard noGrad;
            auto params = decoder->named_parameters();
            for (const auto &item : gpt2->named_parameters())
                params[item.key()].copy_(item.value());
        }
        c10::InferenceMode inference;
        for (const auto &c : test::tinyGpt2Expected()["model"]["cases"]) {
            auto input
                = torch::tensor(c["input_ids"].get<std::vector<std::int64_t>>()).unsqueeze(0);
            auto expected = torch::tensor(c["last_logits"].get<std::vector<float>>());
            auto plain = gpt2->forward(input);
            QVERIFY(maxDiff(plain[0][input.size(1) - 1], expected) < 1e-4);
            QVERIFY(maxDiff(decoder->forward(input), plain) == 0);
        }
        // As HF's GPT2Block: an encoder output needs cross-attention layers.
        auto input = ids({ { 101, 102 } });
        QVERIFY_THROWS_EXCEPTION(
            c10::Error, gpt2->forward(input, nullptr, torch::zeros({ 1, 3, 32 })));
    }

    void blockMatchesReference()
    {
        // One decoder block against a direct transcription of HF's GPT2Block with
        // add_cross_attention (per-head loop, (1 - mask) * finfo.min added to the scores), with
        // every parameter random so biases and layer norms count.
        Gpt2Config c = tinyConfig();
        c.addCrossAttention = true;
        Gpt2Block block(c, 0);
        block->eval();
        torch::NoGradGuard noGrad;
        torch::manual_seed(3);
        for (auto &p : block->parameters())
            p.normal_(0.0, 0.3);
        auto x = torch::randn({ 2, 5, 32 });
        auto memory = torch::randn({ 2, 7, 32 });
        auto mask = ids({ { 1, 1, 1, 1, 1, 0, 0 }, { 1, 1, 1, 1, 1, 1, 1 } });
        auto ignore = mask.eq(0).view({ 2, 1, 1, 7 });
        auto got = block->forward(x, nullptr, {}, memory, ignore);

        auto P = block->named_parameters();
        auto ln = [&](const torch::Tensor &t, const std::string &name) {
            return torch::layer_norm(t, { 32 }, P[name + ".weight"], P[name + ".bias"], 1e-5);
        };
        auto conv = [&](const torch::Tensor &t, const std::string &name) {
            return torch::matmul(t, P[name + ".weight"]) + P[name + ".bias"];
        };
        auto attention = [&](const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v,
                             const torch::Tensor &bias) {
            std::vector<torch::Tensor> heads;
            for (int h = 0; h < 4; ++h) {
                auto s = torch::arange(h * 8, h * 8 + 8);
                auto qh = q.index_select(2, s), kh = k.index_select(2, s);
                auto scores = torch::matmul(qh, kh.transpose(1, 2)) / std::sqrt(8.0) + bias;
                heads.push_back(torch::matmul(torch::softmax(scores, -1), v.index_select(2, s)));
            }
            return torch::cat(heads, 2);
        };
        auto qkv = conv(ln(x, "ln_1"), "attn.c_attn").split(32, 2);
        auto causal = torch::ones({ 5, 5 }).triu(1) * std::numeric_limits<float>::lowest();
        auto h = x + conv(attention(qkv[0], qkv[1], qkv[2], causal), "attn.c_proj");
        auto q = conv(ln(h, "ln_cross_attn"), "crossattention.q_attn");
        auto kv = conv(memory, "crossattention.c_attn").split(32, 2); // key, value
        auto padding
            = (1 - mask.to(torch::kFloat)).view({ 2, 1, 7 }) * std::numeric_limits<float>::lowest();
        h = h + conv(attention(q, kv[0], kv[1], padding), "crossattention.c_proj");
        auto m = torch::gelu(conv(ln(h, "ln_2"), "mlp.c_fc"), "tanh");
        auto want = h + conv(m, "mlp.c_proj");
        QVERIFY2(maxDiff(got, want) < 1e-4, qPrintable(QString::number(maxDiff(got, want))));
    }

    void historyPaddingIsMasked()
    {
        auto model = tinyModel();
        c10::InferenceMode inference;
        auto response = ids({ { 1, 7, 8, 9 }, { 1, 10, 11, 12 } });
        // Alone, unpadded.
        auto a = model->forward(
            ids({ { 1, 5, 6, 2 } }), torch::ones({ 1, 4 }, torch::kBool), response.narrow(0, 0, 1));
        auto b = model->forward(ids({ { 1, 3, 4, 5, 6, 2 } }), torch::ones({ 1, 6 }, torch::kBool),
            response.narrow(0, 1, 1));
        // Together, padded to 9 with arbitrary ids under the mask.
        auto history = ids({ { 1, 5, 6, 2, 33, 17, 0, 3, 9 }, { 1, 3, 4, 5, 6, 2, 21, 22, 0 } });
        auto mask = ids({ { 1, 1, 1, 1, 0, 0, 0, 0, 0 }, { 1, 1, 1, 1, 1, 1, 0, 0, 0 } });
        auto both = model->forward(history, mask, response);
        QVERIFY(maxDiff(both[0], a[0]) < 1e-5);
        QVERIFY(maxDiff(both[1], b[0]) < 1e-5);
        // The history matters at all.
        QVERIFY(maxDiff(both[0], both[1]) > 1e-3);
    }

    void decoderIsCausal()
    {
        auto model = tinyModel();
        c10::InferenceMode inference;
        auto history = ids({ { 1, 5, 6, 2 } });
        auto mask = torch::ones({ 1, 4 }, torch::kBool);
        auto x = model->forward(history, mask, ids({ { 1, 7, 8, 9, 10, 11 } }));
        auto y = model->forward(history, mask, ids({ { 1, 7, 8, 30, 10, 11 } }));
        QVERIFY(maxDiff(x.narrow(1, 0, 3), y.narrow(1, 0, 3)) == 0);
        QVERIFY(maxDiff(x.narrow(1, 3, 3), y.narrow(1, 3, 3)) > 1e-4);
    }

    void incrementalEqualsFull()
    {
        auto model = tinyModel();
        const std::vector<std::int64_t> history { 1, 5, 6, 2, 7, 8, 2 };
        const std::vector<std::int64_t> response { 1, 9, 10, 11, 12, 2 };
        torch::Tensor full;
        {
            c10::InferenceMode inference;
            full = model->forward(ids({ history }), torch::ones({ 1, 7 }, torch::kBool),
                ids({ response }))[0]; // (T, V)
        }
        ResponseDecoder decoder(*model);
        for (int round = 0; round < 2; ++round) { // the second start reuses the cache
            auto logits = decoder.start(history, { response[0], response[1] });
            QVERIFY(maxDiff(logits, full[1]) < 1e-5);
            for (std::size_t t = 2; t < response.size(); ++t) {
                logits = decoder.append(response[t]);
                QVERIFY(maxDiff(logits, full[t]) < 1e-5);
            }
        }
        // A different history after start() gets its own cross-attention keys and values.
        auto other = decoder.start({ 1, 30, 31, 2 }, { 1 });
        c10::InferenceMode inference;
        auto expected = model->forward(
            ids({ { 1, 30, 31, 2 } }), torch::ones({ 1, 4 }, torch::kBool), ids({ { 1 } }));
        QVERIFY(maxDiff(other, expected[0][0]) < 1e-5);

        // Batched decoding with the cache and a padded history.
        auto h = ids({ { 1, 5, 6, 2, 0 }, { 1, 3, 4, 5, 2 } });
        auto m = h.ne(0);
        auto r = ids({ { 1, 9, 10 }, { 1, 11, 12 } });
        auto fullBatch = model->forward(h, m, r);
        auto memory = model->encode(h, m);
        KvCache cache = model->newCache(2);
        auto first = model->decode(r.narrow(1, 0, 2), memory, m, &cache);
        auto last = model->decode(r.narrow(1, 2, 1), memory, m, &cache);
        QVERIFY(maxDiff(torch::cat({ first, last }, 1), fullBatch) < 1e-5);

        auto greedy = greedyResponse(*model, history, { 1 }, 2, 5);
        QVERIFY(!greedy.empty() && greedy.size() <= 5);

        // A history beyond the encoder's 32 positions keeps [CLS] and its last 31 tokens.
        std::vector<std::int64_t> longHistory { 1 };
        for (int i = 0; i < 40; ++i)
            longHistory.push_back(3 + i % 30);
        std::vector<std::int64_t> cropped { 1 };
        cropped.insert(cropped.end(), longHistory.end() - 31, longHistory.end());
        auto croppedLogits = decoder.start(longHistory, { 1 });
        auto expectedCropped = model->forward(
            ids({ cropped }), torch::ones({ 1, 32 }, torch::kBool), ids({ { 1 } }));
        QVERIFY(maxDiff(croppedLogits, expectedCropped[0][0]) < 1e-5);
    }

    void saveLoadRoundTrip()
    {
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString() + "/encdec";
        auto model = tinyModel(11);
        saveEncoderDecoderCheckpoint(*model, dir);
        QVERIFY(isEncoderDecoderCheckpoint(dir));
        QVERIFY(!isEncoderDecoderCheckpoint(test::tinyGpt2Dir()));
        QVERIFY(!isEncoderDecoderCheckpoint(dir / "nothing"));
        const fs::path broken = tmp.path().toStdString() + "/broken";
        fs::create_directories(broken);
        writeFileAtomically(broken / "config.json", "{\"model_type\": ");
        QVERIFY(!isEncoderDecoderCheckpoint(broken));

        const auto config = nlohmann::json::parse(readSmallFile(dir / "config.json"));
        QCOMPARE(config["model_type"].get<std::string>(), std::string("encoder-decoder"));
        QVERIFY(config["is_encoder_decoder"].get<bool>());
        QCOMPARE(config["architectures"][0].get<std::string>(), std::string("EncoderDecoderModel"));
        QVERIFY(!config["encoder"]["is_decoder"].get<bool>());
        QVERIFY(!config["encoder"]["add_cross_attention"].get<bool>());
        QVERIFY(config["decoder"]["is_decoder"].get<bool>());
        QVERIFY(config["decoder"]["add_cross_attention"].get<bool>());
        QCOMPARE(config["decoder_start_token_id"].get<int>(), 1);
        QCOMPARE(config["pad_token_id"].get<int>(), 0);

        auto st = SafetensorsFile::open(dir / "model.safetensors");
        QVERIFY(st.find("decoder.transformer.h.0.crossattention.q_attn.weight"));
        QVERIFY(st.find("encoder.h.0.attn.c_attn.weight"));
        QVERIFY(!st.find("encoder.wte.weight"));
        QVERIFY(!st.find("decoder.lm_head.weight"));

        CheckpointReport report;
        auto loaded = loadEncoderDecoderCheckpoint(dir, &report);
        QVERIFY(report.unexpected.empty());
        QVERIFY(report.warnings.empty());
        c10::InferenceMode inference;
        auto h = ids({ { 1, 5, 6, 2, 0 } });
        auto r = ids({ { 1, 9, 10, 2 } });
        QVERIFY(maxDiff(model->forward(h, h.ne(0), r), loaded->forward(h, h.ne(0), r)) == 0);
    }

    // The encoder-decoder layout with the causal-mask buffers older transformers saved (in the
    // encoder, the decoder and its cross-attention, BOOL, U8 or F32): skipped, same model.
    void legacyBuffersInTheEncoderDecoderLayout()
    {
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        auto model = tinyModel(13);
        saveEncoderDecoderCheckpoint(*model, dir);
        const auto st = SafetensorsFile::open(dir / "model.safetensors");
        std::vector<test::RawTensor> raw;
        for (const auto &info : st.tensors())
            raw.push_back(
                { info.name, "F32", info.shape, test::floatBytes(st.readFloat32(info.name)) });
        raw.push_back({ "encoder.h.0.attn.bias", "BOOL", { 1, 1, 8, 8 }, test::filled(64, 1, 1) });
        raw.push_back(
            { "decoder.transformer.h.0.attn.bias", "U8", { 1, 1, 8, 8 }, test::filled(64, 1, 1) });
        raw.push_back({ "decoder.transformer.h.0.crossattention.bias", "BOOL", { 1, 1, 8, 8 },
            test::filled(64, 1, 1) });
        raw.push_back({ "decoder.transformer.h.0.crossattention.masked_bias", "F32", {},
            test::floatBytes({ -1e4f }) });
        test::writeRawSafetensors(dir / "model.safetensors", raw);
        CheckpointReport report;
        auto loaded = loadEncoderDecoderCheckpoint(dir, &report);
        QCOMPARE(report.ignored.size(), std::size_t(4));
        QVERIFY(report.unexpected.empty());
        c10::InferenceMode inference;
        auto h = ids({ { 1, 5, 6, 2, 0 } });
        auto r = ids({ { 1, 9, 10, 2 } });
        QVERIFY(maxDiff(model->forward(h, h.ne(0), r), loaded->forward(h, h.ne(0), r)) == 0);
    }

    void brokenCheckpointNamesTheTensor()
    {
        QTemporaryDir tmp;
        const fs::path dir = tmp.path().toStdString();
        auto model = tinyModel();
        saveEncoderDecoderCheckpoint(*model, dir);
        CheckpointReport report;
        auto tensors = readStateDict(dir / "model.safetensors", report);
        const std::string gone = "decoder.transformer.h.1.crossattention.q_attn.weight";
        const std::string bent = "encoder.h.0.mlp.c_fc.bias";
        tensors.erase(gone);
        tensors[bent] = torch::zeros({ 3 });
        std::vector<TensorToWrite> out;
        for (const auto &[name, t] : tensors)
            out.push_back({ name, t.sizes().vec(), t.data_ptr<float>(), DType::F32 });
        writeSafetensors(dir / "model.safetensors", out);
        const std::string what = errorOf([&] { loadEncoderDecoderCheckpoint(dir); });
        QVERIFY2(what.find("1 missing tensor(s): " + gone) != std::string::npos, what.c_str());
        QVERIFY2(what.find(bent + " is [3], expected [128]") != std::string::npos, what.c_str());
        QVERIFY2(what.find("model.safetensors") != std::string::npos, what.c_str());
        QVERIFY(errorOf([&] {
            loadEncoderDecoderCheckpoint(test::tinyGpt2Dir());
        }).find("is not an encoder-decoder")
            != std::string::npos);
    }

    void fromPretrainedGpt2()
    {
        auto gpt2 = loadGpt2Checkpoint(test::tinyGpt2Dir(), nullptr);
        auto model = encoderDecoderFromGpt2(test::tinyGpt2Dir(), EncoderInit::Blocks, 3);
        auto params = model->named_parameters();
        for (const auto &item : gpt2->named_parameters()) {
            QVERIFY(params["decoder." + item.key()].equal(item.value()));
            const std::string inEncoder = "encoder." + item.key().substr(12); // "transformer."
            if (item.key() != "transformer.wte.weight")
                QVERIFY2(params[inEncoder].equal(item.value()), inEncoder.c_str());
        }
        // Fresh cross-attention: HF's initialisation.
        const auto &q = params["decoder.transformer.h.0.crossattention.q_attn.weight"];
        QVERIFY(std::abs(q.std().item<double>() - 0.02) < 0.004);
        QVERIFY(params["decoder.transformer.h.0.ln_cross_attn.weight"].eq(1).all().item<bool>());
        QVERIFY(
            params["decoder.transformer.h.0.crossattention.c_attn.bias"].eq(0).all().item<bool>());

        // The decoder's self-attention path is the pretrained GPT-2's.
        c10::InferenceMode inference;
        auto input = ids({ { 101, 252, 253, 254, 102 } });
        QVERIFY(maxDiff(model->decoder->forward(input), gpt2->forward(input)) == 0);

        auto scratch = encoderDecoderFromGpt2(test::tinyGpt2Dir(), EncoderInit::Scratch, 3);
        auto sp = scratch->named_parameters();
        QVERIFY(sp["decoder.transformer.h.0.attn.c_attn.weight"].equal(
            gpt2->named_parameters()["transformer.h.0.attn.c_attn.weight"]));
        QVERIFY(!sp["encoder.h.0.attn.c_attn.weight"].equal(
            gpt2->named_parameters()["transformer.h.0.attn.c_attn.weight"]));
        QVERIFY(sp["encoder.ln_f.weight"].eq(1).all().item<bool>());
    }

    void dialoguePairs()
    {
        // Four complete utterances; two complete and one cut off; one utterance only.
        Batch batch = makeBatch({ { 1, 5, 6, 2, 7, 2, 8, 9, 2, 10, 2 }, { 1, 11, 2, 12, 13, 2, 14 },
            { 1, 15, 16, 2 } });
        PairOptions o = tinyPairs();
        o.maxHistory = 2;
        DialoguePairs p = makeDialoguePairs(batch, o);
        QCOMPARE(p.count(), std::int64_t(4));
        auto expectHistory = ids({ { 1, 5, 6, 2, 0, 0 }, { 1, 5, 6, 2, 7, 2 }, { 1, 7, 2, 8, 9, 2 },
            { 1, 11, 2, 0, 0, 0 } });
        auto expectResponse
            = ids({ { 1, 7, 2, 0 }, { 1, 8, 9, 2 }, { 1, 10, 2, 0 }, { 1, 12, 13, 2 } });
        QVERIFY(p.historyIds.equal(expectHistory));
        QVERIFY(p.historyMask.equal(expectHistory.ne(0)));
        QVERIFY(p.responseIds.equal(expectResponse));
        QVERIFY(p.responseLabels.equal(expectResponse.masked_fill(expectResponse.eq(0), -100)));
        QCOMPARE(p.tokens, std::int64_t(4 + 6 + 6 + 3 + 3 + 4 + 3 + 4));

        o.maxHistoryTokens = 4; // [CLS] and the last 3 tokens
        p = makeDialoguePairs(batch, o);
        QVERIFY(p.historyIds[1].equal(torch::tensor({ 1, 2, 7, 2 }, torch::kLong)));

        QCOMPARE(makeDialoguePairs(makeBatch({ { 1, 15, 16, 2 } }), o).count(), std::int64_t(0));
        o.maxResponseTokens = 3; // [CLS] u [SEP] with u of one token only
        p = makeDialoguePairs(batch, o);
        QVERIFY(p.responseIds.equal(ids({ { 1, 7, 2 }, { 1, 10, 2 } })));

        // The trainer's loss is causalLmLoss over the pairs.
        auto model = tinyModel();
        std::int64_t tokens = 0;
        LmLoss loss = encoderDecoderLoss(*model, batch, tinyPairs(), &tokens);
        DialoguePairs q = makeDialoguePairs(batch, tinyPairs());
        LmLoss direct = causalLmLoss(
            model->forward(q.historyIds, q.historyMask, q.responseIds), q.responseLabels);
        QVERIFY(std::abs(loss.loss.item<double>() - direct.loss.item<double>()) < 1e-5);
        QCOMPARE(loss.nCorrect, direct.nCorrect);
        QCOMPARE(loss.nCounted, std::int64_t(2 + 3 + 2 + 3));
        QCOMPARE(tokens, q.tokens);
        LmLoss none = encoderDecoderLoss(*model, makeBatch({ { 1, 15, 16, 2 } }), tinyPairs());
        QCOMPARE(none.nCounted, std::int64_t(0));
        QCOMPARE(none.loss.item<double>(), 0.0);
        none.loss.backward(); // a no-op, not an error
    }

    void learnsCopyTask()
    {
        // Dialogues "[CLS] a b c d [SEP] a b c d [SEP]": the response copies the history, which
        // only cross-attention can see.
        torch::manual_seed(0);
        auto model = tinyModel(5);
        model->train();
        FlatAdamW optimizer(*model, { 0.9, 0.99, 1e-8, 0.0 });
        auto generator = at::detail::createCPUGenerator(17);
        auto batchOf = [&](int rows) {
            auto words = torch::randint(3, 40, { rows, 4 }, generator, torch::kLong);
            std::vector<std::vector<std::int32_t>> dialogues;
            for (int i = 0; i < rows; ++i) {
                std::vector<std::int32_t> u(4);
                for (int j = 0; j < 4; ++j)
                    u[j] = std::int32_t(words[i][j].item<std::int64_t>());
                std::vector<std::int32_t> d { 1 };
                d.insert(d.end(), u.begin(), u.end());
                d.push_back(2);
                d.insert(d.end(), u.begin(), u.end());
                d.push_back(2);
                dialogues.push_back(d);
            }
            return makeBatch(dialogues);
        };
        double first = 0, last = 0;
        const int steps = 300;
        for (int step = 0; step < steps; ++step) {
            LmLoss loss = encoderDecoderLoss(*model, batchOf(16), tinyPairs());
            optimizer.zeroGrad();
            loss.loss.backward();
            optimizer.clipGradNorm(1.0);
            optimizer.step(step < 20 ? 3e-3 * (step + 1) / 20 : 3e-3);
            if (step < 10)
                first += loss.loss.item<double>() / 10;
            if (step >= steps - 10)
                last += loss.loss.item<double>() / 10;
        }
        qInfo("copy task: loss %.3f -> %.3f", first, last);
        QVERIFY2(last < 0.25 * first, qPrintable(QString("%1 -> %2").arg(first).arg(last)));

        model->eval();
        // Greedy decoding through the caches copies a history it has not seen.
        auto reply = greedyResponse(*model, { 1, 7, 8, 9, 10, 2 }, { 1 }, 2, 6);
        QCOMPARE(reply, (std::vector<std::int64_t> { 7, 8, 9, 10, 2 }));
    }
};

QTEST_GUILESS_MAIN(TestEncoderDecoder)
#include "test_encoder_decoder.moc"
