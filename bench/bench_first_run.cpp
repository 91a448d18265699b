// A user's first real run, at the reference experiment's scale, on this machine: a base-size
// GPT-2 checkpoint (12 layers, 12 heads, 768 wide, vocabulary 21128, random weights, the
// causal-mask buffers stored as BOOL as older transformers wrote them) served by the Hub
// stand-in the tests use, downloaded by its repo id with `chatbench-cli download`, a 500K-
// dialogue corpus prepared with `chatbench-cli prepare`, and a fine-tune of a few dozen steps
// with GPT2-chitchat's settings (batch 4, gradient accumulation 4, max_len 150) by
// `chatbench-cli train`. Prints one JSON object of what a user waits for: the download, the
// preparation (and its peak RSS), the time to the first step, tokens/s, the checkpoint's write
// time and size, and one epoch's projected time. docs/benchmarks.md records the figures.
//
// Usage: bench_first_run BIN_DIR WORK_DIR [DIALOGUES=500000] [STEPS=24]
// WORK_DIR keeps the run (open it in the GUI: chatbench --workspace WORK_DIR/runs).

#include "common/fake_hub.h"
#include "common/raw_safetensors.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using json = nlohmann::json;
using chatbench::test::FakeHub;
using chatbench::test::FakeRepoFile;
using chatbench::test::RawTensor;

extern char **environ;

namespace {

const std::string kRepo = "bench/gpt2-base-chinese-random";
const std::string kCommit = "b0a5e0000000000000000000000000000000c0de";
constexpr int kLayers = 12, kWidth = 768, kPositions = 1024, kVocab = 21128;

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

struct ChildResult
{
    int status = -1;
    double wall = 0;
    long peakRssKb = 0;
    std::string out;
};

// Runs argv with env added, stdout captured; poll runs every 100 ms while it lives.
ChildResult run(const std::vector<std::string> &argv, const std::map<std::string, std::string> &env,
    const fs::path &outFile, const std::function<void()> &poll = {})
{
    std::fprintf(stderr, "+");
    for (const std::string &a : argv)
        std::fprintf(stderr, " %s", a.c_str());
    std::fprintf(stderr, "\n");
    // A child's ru_maxrss counts what it held before exec, and this process holds the served
    // checkpoint several times over: a fresh, small copy of this program starts the command
    // and reports its peak (measureChild).
    std::vector<std::string> envText;
    for (char **e = environ; *e; ++e) {
        const std::string entry = *e;
        const std::string key = entry.substr(0, entry.find('='));
        if (!env.count(key) && key != "HF_TOKEN" && key != "HF_HUB_OFFLINE")
            envText.push_back(entry);
    }
    for (const auto &[k, v] : env)
        envText.push_back(k + "=" + v);
    const fs::path rssFile = outFile.string() + ".rss";
    std::vector<std::string> measured { "/proc/self/exe", "--measure", rssFile.string() };
    measured.insert(measured.end(), argv.begin(), argv.end());
    std::vector<char *> args, envp;
    for (const std::string &a : measured)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    for (const std::string &e : envText)
        envp.push_back(const_cast<char *>(e.c_str()));
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(
        &actions, STDOUT_FILENO, outFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(spawned));
    ChildResult r;
    for (;;) {
        const pid_t done = waitpid(pid, &r.status, WNOHANG);
        if (done == pid)
            break;
        if (poll)
            poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    r.wall = seconds(start);
    r.peakRssKb = std::atol(chatbench::test::fileBytes(rssFile).c_str());
    r.out = chatbench::test::fileBytes(outFile);
    if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0)
        throw std::runtime_error(argv[0] + " failed (see " + outFile.string() + " and stderr)");
    return r;
}

// bert-base-chinese's layout: [PAD] 0, [unused1..99], [UNK] 100, [CLS] 101, [SEP] 102,
// [MASK] 103, then the corpus's characters, padded with unused entries to 21128.
std::string vocabulary(const fs::path &corpus)
{
    std::vector<std::string> vocab { "[PAD]" };
    for (int i = 1; i < 100; ++i)
        vocab.push_back("[unused" + std::to_string(i) + "]");
    for (const char *s : { "[UNK]", "[CLS]", "[SEP]", "[MASK]" })
        vocab.push_back(s);
    std::string head = chatbench::test::fileBytes(corpus).substr(0, 1 << 20);
    std::set<std::string> chars;
    for (std::size_t i = 0; i < head.size();) {
        const unsigned char c = static_cast<unsigned char>(head[i]);
        const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + n > head.size())
            break; // the 1 MiB cut may split the last character
        const std::string ch = head.substr(i, n);
        if (n > 1 || !std::isspace(c))
            chars.insert(ch);
        i += n;
    }
    vocab.insert(vocab.end(), chars.begin(), chars.end());
    for (int i = 100; int(vocab.size()) < kVocab; ++i)
        vocab.push_back("[unused" + std::to_string(i) + "]");
    std::string text;
    for (const std::string &v : vocab)
        text += v + "\n";
    return text;
}

// Random weights (uniform, std 0.02), LayerNorms at 1 and 0, and per layer the legacy buffers.
std::vector<RawTensor> baseWeights()
{
    std::uint64_t state = 42;
    const auto random = [&](std::int64_t n) {
        std::vector<float> v(static_cast<std::size_t>(n));
        const float scale = 0.02f * std::sqrt(3.0f) / float(1ULL << 31);
        for (float &x : v) {
            std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            x = float(std::int64_t(z >> 32) - (1LL << 31)) * scale;
        }
        return chatbench::test::floatBytes(v);
    };
    const auto constant = [](std::int64_t n, float value) {
        return chatbench::test::floatBytes(std::vector<float>(std::size_t(n), value));
    };
    const std::int64_t C = kWidth;
    std::vector<RawTensor> t;
    t.push_back({ "transformer.wte.weight", "F32", { kVocab, C }, random(kVocab * C) });
    t.push_back({ "transformer.wpe.weight", "F32", { kPositions, C }, random(kPositions * C) });
    std::string mask(std::size_t(kPositions) * kPositions, '\0');
    for (int i = 0; i < kPositions; ++i)
        for (int j = 0; j <= i; ++j)
            mask[std::size_t(i) * kPositions + std::size_t(j)] = 1;
    for (int l = 0; l < kLayers; ++l) {
        const std::string h = "transformer.h." + std::to_string(l) + ".";
        t.push_back({ h + "ln_1.weight", "F32", { C }, constant(C, 1) });
        t.push_back({ h + "ln_1.bias", "F32", { C }, constant(C, 0) });
        t.push_back({ h + "attn.bias", "BOOL", { 1, 1, kPositions, kPositions }, mask });
        t.push_back({ h + "attn.masked_bias", "F32", {}, constant(1, -1e4f) });
        t.push_back({ h + "attn.c_attn.weight", "F32", { C, 3 * C }, random(3 * C * C) });
        t.push_back({ h + "attn.c_attn.bias", "F32", { 3 * C }, constant(3 * C, 0) });
        t.push_back({ h + "attn.c_proj.weight", "F32", { C, C }, random(C * C) });
        t.push_back({ h + "attn.c_proj.bias", "F32", { C }, constant(C, 0) });
        t.push_back({ h + "ln_2.weight", "F32", { C }, constant(C, 1) });
        t.push_back({ h + "ln_2.bias", "F32", { C }, constant(C, 0) });
        t.push_back({ h + "mlp.c_fc.weight", "F32", { C, 4 * C }, random(4 * C * C) });
        t.push_back({ h + "mlp.c_fc.bias", "F32", { 4 * C }, constant(4 * C, 0) });
        t.push_back({ h + "mlp.c_proj.weight", "F32", { 4 * C, C }, random(4 * C * C) });
        t.push_back({ h + "mlp.c_proj.bias", "F32", { C }, constant(C, 0) });
    }
    t.push_back({ "transformer.ln_f.weight", "F32", { C }, constant(C, 1) });
    t.push_back({ "transformer.ln_f.bias", "F32", { C }, constant(C, 0) });
    return t;
}

std::vector<FakeRepoFile> baseCheckpoint(const fs::path &corpus, const fs::path &dir)
{
    fs::create_directories(dir);
    chatbench::test::writeRawSafetensors(dir / "model.safetensors", baseWeights());
    const json config = { { "architectures", { "GPT2LMHeadModel" } }, { "model_type", "gpt2" },
        { "activation_function", "gelu_new" }, { "n_layer", kLayers }, { "n_head", 12 },
        { "n_embd", kWidth }, { "n_positions", kPositions }, { "n_ctx", kPositions },
        { "vocab_size", kVocab }, { "layer_norm_epsilon", 1e-5 }, { "resid_pdrop", 0.1 },
        { "embd_pdrop", 0.1 }, { "attn_pdrop", 0.1 }, { "tokenizer_class", "BertTokenizerFast" } };
    std::vector<FakeRepoFile> files {
        { "config.json", config.dump(2), false },
        { "vocab.txt", vocabulary(corpus), false },
        { "tokenizer_config.json",
            R"({"do_lower_case": true, "tokenizer_class": "BertTokenizerFast"})", false },
        { "special_tokens_map.json",
            R"({"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"})",
            false },
        { "README.md", "# random base-size GPT-2 for bench_first_run\n", false },
    };
    files.push_back(
        { "model.safetensors", chatbench::test::fileBytes(dir / "model.safetensors"), true });
    return files;
}

std::uintmax_t folderBytes(const fs::path &dir)
{
    std::uintmax_t total = 0;
    for (const auto &e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file())
            total += e.file_size();
    return total;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return NAN;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// bench_first_run --measure RSS_FILE COMMAND...: runs COMMAND, writes its peak RSS (KiB) to
// RSS_FILE and exits with its status.
int measureChild(char **argv)
{
    const pid_t pid = fork();
    if (pid == 0) {
        execv(argv[1], argv + 1);
        _exit(127);
    }
    int status = 0;
    rusage usage {};
    if (pid < 0 || wait4(pid, &status, 0, &usage) != pid)
        return 127;
    std::ofstream(argv[0]) << usage.ru_maxrss << "\n";
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc > 3 && std::string(argv[1]) == "--measure")
        return measureChild(argv + 2);
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_first_run BIN_DIR WORK_DIR [DIALOGUES] [STEPS]\n");
        return 2;
    }
    const fs::path bin = fs::absolute(argv[1]), work = fs::absolute(argv[2]);
    const long dialogues = argc > 3 ? std::atol(argv[3]) : 500000;
    const int steps = argc > 4 ? std::atoi(argv[4]) : 24;
    const std::string cli = (bin / "chatbench-cli").string();
    try {
        fs::create_directories(work / "logs");
        json out = { { "dialogues", dialogues }, { "steps", steps },
            { "threads", std::thread::hardware_concurrency() } };
        const fs::path corpus = work / "corpus.txt";
        run({ (bin / "make_chitchat_corpus").string(), corpus.string(), std::to_string(dialogues) },
            {}, work / "logs" / "corpus.out");
        out["corpus_bytes"] = fs::file_size(corpus);

        auto start = std::chrono::steady_clock::now();
        const std::vector<FakeRepoFile> files = baseCheckpoint(corpus, work / "published");
        out["checkpoint_generation_s"] = seconds(start);
        FakeHub hub;
        hub.addRepo(kRepo, kCommit, files);
        const std::map<std::string, std::string> env { { "HF_ENDPOINT", hub.endpoint() },
            { "HF_HUB_CACHE", (work / "hub").string() },
            { "HF_HOME", (work / "hf-home").string() } };

        fs::remove_all(work / "hub");
        const ChildResult download
            = run({ cli, "download", kRepo }, env, work / "logs" / "download.json");
        out["download"] = { { "wall_s", download.wall },
            { "bytes", json::parse(download.out).value("bytes_transferred", 0ULL) },
            { "weights_bytes", fs::file_size(work / "published" / "model.safetensors") } };

        fs::remove_all(work / "prepared");
        const ChildResult prepare
            = run({ cli, "prepare", "--corpus", corpus.string(), "--tokenizer", kRepo, "--out",
                      (work / "prepared").string(), "--max-len", "150", "--val", "100" },
                env, work / "logs" / "prepare.json");
        out["prepare"] = { { "wall_s", prepare.wall },
            { "peak_rss_mb", prepare.peakRssKb / 1024.0 }, { "stats", json::parse(prepare.out) } };

        const fs::path runDir = work / "runs" / "first-real-run";
        fs::remove_all(runDir);
        const json config = { { "name", "first-real-run" }, { "model", { { "init", kRepo } } },
            { "data",
                { { "corpus", corpus.string() }, { "max_len", 150 }, { "valid_count", 100 },
                    { "cache_dir", (work / "prepared").string() } } },
            { "train",
                { { "batch_size", 4 }, { "grad_accum", 4 }, { "lr", 2.6e-5 },
                    { "max_steps", steps }, { "warmup_steps", 4000 }, { "keep_last", 3 } } } };
        fs::create_directories(work / "runs");
        {
            std::ofstream f(work / "run.json");
            f << config.dump(2);
        }
        double firstStep = NAN;
        start = std::chrono::steady_clock::now();
        const ChildResult train = run({ cli, "train", "--config", (work / "run.json").string(),
                                          "--out", runDir.string(), "--quiet" },
            env, work / "logs" / "train.json", [&] {
                if (std::isnan(firstStep)
                    && chatbench::test::fileBytes(runDir / "metrics.jsonl")
                            .find("\"event\":\"train\"")
                        != std::string::npos)
                    firstStep = seconds(start);
            });

        std::vector<double> stepSeconds;
        double lastTime = NAN, tokensPerSecond = NAN, writeSeconds = NAN;
        std::string checkpoint;
        std::istringstream metrics(chatbench::test::fileBytes(runDir / "metrics.jsonl"));
        for (std::string line; std::getline(metrics, line);) {
            const json e = json::parse(line);
            if (e["event"] == "train") {
                if (!std::isnan(lastTime))
                    stepSeconds.push_back(e["time"].get<double>() - lastTime);
                lastTime = e["time"].get<double>();
                tokensPerSecond = e.value("tokens_per_s", NAN);
            } else if (e["event"] == "checkpoint") {
                writeSeconds = e.value("write_s", NAN);
                checkpoint = e["message"].get<std::string>();
            }
        }
        const std::uint64_t trainDialogues
            = out["prepare"]["stats"].value("train", std::uint64_t(0));
        const double stepsPerEpoch = std::ceil(double(trainDialogues) / (4.0 * 4.0));
        const std::uintmax_t checkpointBytes = checkpoint.empty() ? 0 : folderBytes(checkpoint);
        const json pinned = json::parse(chatbench::test::fileBytes(runDir / "run.json"));
        out["train"] = { { "wall_s", train.wall }, { "peak_rss_mb", train.peakRssKb / 1024.0 },
            { "time_to_first_step_s", firstStep }, { "median_step_s", median(stepSeconds) },
            { "tokens_per_s", tokensPerSecond }, { "checkpoint_write_s", writeSeconds },
            { "checkpoint_bytes", checkpointBytes },
            { "checkpoints_on_disk_bytes_keep_last_3", checkpointBytes * 3 },
            { "steps_per_epoch", stepsPerEpoch },
            { "projected_epoch_hours", stepsPerEpoch * median(stepSeconds) / 3600 },
            { "recorded_init", pinned["model"]["init"] } };
        std::printf("%s\n", out.dump(2).c_str());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_first_run: %s\n", e.what());
        return 1;
    }
    return 0;
}
