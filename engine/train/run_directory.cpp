#include "chatbench/run_directory.h"

#include "chatbench/atomic_file.h"
#include "chatbench/error.h"
#include "chatbench/run_config.h"
#include "io/json_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <unistd.h>

namespace fs = std::filesystem;

namespace chatbench {

namespace {

constexpr const char *kStepPrefix = "step-";
constexpr const char *kTemporaryPrefix = ".incomplete-";

std::optional<std::int64_t> stepOf(const std::string &name)
{
    if (name.rfind(kStepPrefix, 0) != 0 || name.size() == std::strlen(kStepPrefix))
        return std::nullopt;
    std::int64_t step = 0;
    for (std::size_t i = std::strlen(kStepPrefix); i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9')
            return std::nullopt;
        step = step * 10 + (name[i] - '0');
    }
    return step;
}

void syncDirectory(const fs::path &dir)
{
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

std::string errnoText()
{
    return std::strerror(errno);
}

} // namespace

RunDirectory RunDirectory::create(const fs::path &dir, const RunConfig &config)
{
    RunDirectory run(fs::absolute(dir).lexically_normal());
    if (fs::exists(run.runFile()))
        throw Error::inFile(run.runFile(),
            "a run already exists here; resume it (--resume) or choose another folder");
    std::error_code ec;
    fs::create_directories(run.checkpointsDir(), ec);
    if (ec)
        throw Error::inFile(dir, "cannot create the run folder: " + ec.message());
    fs::create_directories(run.transcriptsDir(), ec);
    writeFileAtomically(run.runFile(), config.toJsonText());
    return run;
}

RunDirectory RunDirectory::open(const fs::path &dir)
{
    RunDirectory run(fs::absolute(dir).lexically_normal());
    if (!fs::is_directory(run.m_dir))
        throw Error::inFile(dir, "no such run folder");
    if (!fs::exists(run.runFile()))
        throw Error::inFile(dir, "not a run folder: run.json is missing");
    return run;
}

RunDirectory RunDirectory::at(const fs::path &dir)
{
    return RunDirectory(fs::absolute(dir).lexically_normal());
}

RunConfig RunDirectory::config() const
{
    return RunConfig::fromJsonFile(runFile());
}

std::vector<CheckpointInfo> RunDirectory::checkpoints() const
{
    std::vector<CheckpointInfo> out;
    std::error_code ec;
    for (fs::directory_iterator it(checkpointsDir(), ec), end; !ec && it != end; it.increment(ec))
        if (auto step = stepOf(it->path().filename().string()); step && it->is_directory())
            out.push_back({ *step, it->path() });
    std::sort(out.begin(), out.end(),
        [](const CheckpointInfo &a, const CheckpointInfo &b) { return a.step < b.step; });
    return out;
}

std::optional<CheckpointInfo> RunDirectory::latestCheckpoint() const
{
    auto all = checkpoints();
    if (all.empty())
        return std::nullopt;
    return all.back();
}

std::optional<CheckpointInfo> RunDirectory::bestCheckpoint() const
{
    fs::path index = checkpointsDir() / "index.json";
    if (!fs::exists(index))
        return std::nullopt;
    auto json = readJsonFile(index);
    long best = jsonField<long>(json, "best", -1, index);
    fs::path dir = checkpointsDir() / (kStepPrefix + std::to_string(best));
    if (best < 0 || !fs::is_directory(dir))
        return std::nullopt;
    return CheckpointInfo { best, dir };
}

fs::path RunDirectory::beginCheckpoint(std::int64_t step) const
{
    static thread_local std::mt19937_64 rng { std::random_device {}() };
    fs::path dir = checkpointsDir()
        / (std::string(kTemporaryPrefix) + std::to_string(step) + "-"
            + std::to_string(rng() % 1000000007));
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error::inFile(dir, "cannot create a checkpoint folder: " + ec.message());
    return dir;
}

fs::path RunDirectory::commitCheckpoint(const fs::path &temporary, std::int64_t step,
    std::optional<std::int64_t> bestStep, double bestValidLoss, int keepLast) const
{
    syncDirectory(temporary);
    fs::path target = checkpointsDir() / (kStepPrefix + std::to_string(step));
    std::error_code ec;
    if (fs::exists(target)) {
        // Saving the same step twice (a stop right after a scheduled checkpoint) saves the same
        // state: keep the committed one rather than open a window with no step-N on disk.
        fs::remove_all(temporary, ec);
    } else {
        fs::rename(temporary, target, ec);
        if (ec)
            throw Error::inFile(target, "cannot commit the checkpoint: " + ec.message());
    }
    syncDirectory(checkpointsDir());

    nlohmann::json index = { { "latest", step } };
    if (bestStep) {
        index["best"] = *bestStep;
        index["best_valid_loss"] = bestValidLoss;
    }
    writeFileAtomically(checkpointsDir() / "index.json", index.dump(2) + "\n");

    auto all = checkpoints();
    int kept = 0;
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        if (it->step == step || (bestStep && it->step == *bestStep))
            continue;
        if (++kept < keepLast)
            continue;
        // Renamed out of sight first: a kill during the delete must not leave a step-N folder
        // that looks complete but lacks files. A failed delete costs disk, not correctness.
        fs::path doomed = checkpointsDir()
            / (std::string(kTemporaryPrefix) + "deleted-" + std::to_string(it->step));
        fs::rename(it->dir, doomed, ec);
        if (!ec)
            fs::remove_all(doomed, ec);
    }
    return target;
}

void RunDirectory::removeTemporaries() const
{
    std::error_code ec;
    std::vector<fs::path> stale;
    for (fs::directory_iterator it(checkpointsDir(), ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename().string().rfind(kTemporaryPrefix, 0) == 0)
            stale.push_back(it->path());
    for (const auto &p : stale)
        fs::remove_all(p, ec);
}

JsonLinesWriter::JsonLinesWriter(fs::path file) : m_file(std::move(file))
{
    m_fd = ::open(m_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw Error::inFile(m_file, "cannot open for appending: " + errnoText());
    off_t end = ::lseek(m_fd, 0, SEEK_END);
    m_size = end > 0 ? std::uint64_t(end) : 0;
}

JsonLinesWriter::~JsonLinesWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

void JsonLinesWriter::append(std::string_view json)
{
    std::string line(json);
    line += '\n';
    const char *p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
        ssize_t n = ::write(m_fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw Error::inFile(m_file, "cannot append a line: " + errnoText());
        p += n;
        left -= std::size_t(n);
    }
    m_size += line.size();
}

void JsonLinesWriter::truncate(std::uint64_t size)
{
    const off_t end = ::lseek(m_fd, 0, SEEK_END);
    if (end >= 0 && std::uint64_t(end) <= size)
        return;
    if (::ftruncate(m_fd, off_t(size)) != 0)
        throw Error::inFile(m_file, "cannot rewind the file: " + errnoText());
    m_size = size;
}

void JsonLinesWriter::sync()
{
    ::fsync(m_fd);
}

MetricsReader::MetricsReader(fs::path file) : m_file(std::move(file))
{ }

std::vector<TrainingEvent> MetricsReader::poll()
{
    std::vector<TrainingEvent> out;
    m_restarted = false;
    std::error_code ec;
    auto size = fs::file_size(m_file, ec);
    if (ec)
        return out; // not written yet
    if (size < m_offset) {
        m_offset = 0;
        m_line = 0;
        m_pending.clear();
        m_restarted = true;
    }
    if (size == m_offset)
        return out;
    std::ifstream in(m_file, std::ios::binary);
    in.seekg(std::streamoff(m_offset));
    std::string chunk(size - m_offset, '\0');
    in.read(chunk.data(), std::streamsize(chunk.size()));
    chunk.resize(std::size_t(in.gcount()));
    m_offset += chunk.size();
    m_pending += chunk;

    std::size_t start = 0;
    for (std::size_t nl; (nl = m_pending.find('\n', start)) != std::string::npos; start = nl + 1) {
        ++m_line;
        std::string line = m_pending.substr(start, nl - start);
        if (line.empty())
            continue;
        try {
            out.push_back(TrainingEvent::fromJson(
                line, m_file.filename().string() + ":" + std::to_string(m_line)));
        } catch (const Error &e) {
            ++m_skipped;
            if (m_warnings.size() < 20)
                m_warnings.push_back(std::string(e.what()) + " (skipped)");
        }
    }
    m_pending.erase(0, start);
    return out;
}

} // namespace chatbench
