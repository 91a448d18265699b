// download: a model from the Hugging Face Hub into the shared cache, by its repo id.

#include "chatbench/error.h"
#include "chatbench/hub.h"
#include "commands.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace chatbench::cli {
namespace {

std::string sizeText(double bytes)
{
    const char *units[] = { "B", "KB", "MB", "GB", "TB" };
    int unit = 0;
    while (bytes >= 1000 && unit < 4) {
        bytes /= 1000;
        ++unit;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
    return buf;
}

// One progress line on stderr, rewritten in place on a terminal and printed at most once a
// second otherwise (a log file gets a readable trace, not thousands of lines).
class ProgressPrinter
{
public:
    void operator()(const DownloadProgress &p)
    {
        const auto now = std::chrono::steady_clock::now();
        const bool fileChanged = p.file != m_lastFile;
        if (!fileChanged && now - m_last < std::chrono::milliseconds(m_tty ? 200 : 1000))
            return;
        m_last = now;
        m_lastFile = p.file;
        const double percent = p.size ? 100.0 * double(p.bytes) / double(p.size) : 100.0;
        std::string line = "download: " + sizeText(double(p.bytes)) + " / "
            + sizeText(double(p.size)) + " (" + std::to_string(int(percent)) + "%)";
        if (p.bytesPerSecond > 0)
            line += ", " + sizeText(p.bytesPerSecond) + "/s";
        if (p.etaSeconds >= 0)
            line += ", ETA " + std::to_string(int(std::ceil(p.etaSeconds))) + " s";
        std::cerr << (m_tty ? "\r" : "") << line << (m_tty ? "\033[K" : "\n") << std::flush;
    }
    ~ProgressPrinter()
    {
        if (m_tty && m_lastFile != std::size_t(-1))
            std::cerr << "\n";
    }

private:
    bool m_tty = ::isatty(STDERR_FILENO) != 0;
    std::chrono::steady_clock::time_point m_last {};
    std::size_t m_lastFile = std::size_t(-1);
};

} // namespace

DownloadResult downloadWithProgress(
    const HubClient &hub, const RepoId &repo, const std::vector<std::string> &include, bool quiet)
{
    ProgressPrinter printer;
    return hub.downloadModel(repo, include, [&](const DownloadProgress &p) {
        if (!quiet)
            printer(p);
    });
}

std::string modelLocation(const Arguments &args, const std::string &pathOrRepoId)
{
    const HubSettings settings = hubSettingsFromEnvironment();
    std::error_code ec;
    const auto repo = RepoId::parse(pathOrRepoId);
    if (repo && !std::filesystem::exists(pathOrRepoId, ec) && args.has("download")
        && !cachedSnapshot(settings, *repo))
        downloadWithProgress(HubClient(settings), *repo);
    return resolveModelFolder(pathOrRepoId, settings).string();
}

namespace {

int download(const Arguments &args)
{
    args.allowOnly({ "revision", "include", "quiet" });
    if (args.positional().size() != 1)
        throw UsageError(
            "expected one repo id, e.g. chatbench-cli download ckiplab/gpt2-base-chinese");
    auto repo = RepoId::parse(args.positional().front());
    if (!repo)
        throw UsageError("'" + args.positional().front()
            + "' is not a repo id: expected ORG/NAME (or ORG/NAME@REVISION)");
    if (const auto revision = args.optional("revision"))
        repo->revision = *revision;
    const HubClient hub(hubSettingsFromEnvironment());
    const auto started = std::chrono::steady_clock::now();
    const DownloadResult result
        = downloadWithProgress(hub, *repo, args.all("include"), args.has("quiet"));
    const double seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    nlohmann::json files = nlohmann::json::array();
    for (const HubFile &f : result.files)
        files.push_back({ { "name", f.name }, { "size", f.size }, { "etag", f.etag },
            { "lfs", f.lfs }, { "cached", f.cached } });
    printJson({ { "repo", result.repo.id }, { "revision", result.repo.revision },
        { "commit", result.commit }, { "snapshot", result.snapshot.string() },
        { "cache", hub.settings().cacheDir.string() }, { "files", files },
        { "bytes_transferred", result.transferred }, { "seconds", seconds } });
    return 0;
}

} // namespace

void addHubCommands(std::vector<Command> &out)
{
    out.push_back({ "download", "REPO_ID [--revision REV] [--include GLOB ...]",
        "Fetch a model from the Hugging Face Hub into the cache huggingface_hub, transformers\n"
        "and llama.cpp share (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub),\n"
        "so --model, --init and --tokenizer take REPO_ID (ORG/NAME or ORG/NAME@REV) from then\n"
        "on, offline too. By default only what a model needs: config.json, the *.safetensors\n"
        "weights (else pytorch_model.bin), vocab.txt, tokenizer.json, tokenizer_config.json,\n"
        "special_tokens_map.json, *.model, generation_config.json; --include GLOB (repeatable,\n"
        "fnmatch as huggingface_hub's allow_patterns) fetches the matching files instead. Files\n"
        "already in the cache transfer nothing; an interrupted download resumes; an LFS file\n"
        "whose SHA-256 differs from the Hub's is deleted and reported. HF_ENDPOINT, HF_TOKEN\n"
        "(or HF_HOME/token; sent to the endpoint's host only) and HF_HUB_OFFLINE=1 work as in\n"
        "huggingface_hub. Progress on stderr (--quiet: none); prints the commit, the snapshot\n"
        "folder and the files.",
        { "quiet" }, download, 1 });
}

} // namespace chatbench::cli
