#pragma once
// A run's folder, the unit the GUI lists, watches and reopens (ARCHITECTURE.md "On disk"):
//
//   run.json            RunConfig (run_config.h)
//   metrics.jsonl       TrainingEvent lines, appended and flushed per event
//   probes.jsonl        the replies to the probe prompts at each evaluation (probe_log.h)
//   checkpoints/step-N/ config.json, model.safetensors, tokenizer files, trainer_state.json,
//                       optimizer.safetensors
//   checkpoints/index.json  {"latest": N, "best": M, "best_valid_loss": x}
//   transcripts/        chat sessions and exports
//   data/               the prepared token caches (unless run.json names another cache_dir)
//
// A checkpoint is written into a temporary folder and renamed to step-N only when complete, so
// a process killed at any moment leaves every step-N folder loadable (and at worst a stray
// temporary that the next open removes).

#include "chatbench/training_event.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chatbench {

struct RunConfig;

struct CheckpointInfo
{
    std::int64_t step = 0;
    std::filesystem::path dir;
};

class RunDirectory
{
public:
    // Creates the folder and writes run.json; refuses a folder that already holds a run.
    static RunDirectory create(const std::filesystem::path &dir, const RunConfig &config);
    // Throws chatbench::Error naming what is missing when dir holds no run.json.
    static RunDirectory open(const std::filesystem::path &dir);
    // A handle on dir that checks and writes nothing: for data-parallel workers other than rank
    // 0, which read what rank 0 writes.
    static RunDirectory at(const std::filesystem::path &dir);

    const std::filesystem::path &path() const { return m_dir; }
    std::filesystem::path runFile() const { return m_dir / "run.json"; }
    std::filesystem::path metricsFile() const { return m_dir / "metrics.jsonl"; }
    std::filesystem::path probesFile() const { return m_dir / "probes.jsonl"; }
    std::filesystem::path checkpointsDir() const { return m_dir / "checkpoints"; }
    std::filesystem::path transcriptsDir() const { return m_dir / "transcripts"; }
    std::filesystem::path dataDir() const { return m_dir / "data"; }

    RunConfig config() const;

    // Complete checkpoints, by ascending step.
    std::vector<CheckpointInfo> checkpoints() const;
    std::optional<CheckpointInfo> latestCheckpoint() const;
    // The checkpoint with the best validation loss, as index.json records it.
    std::optional<CheckpointInfo> bestCheckpoint() const;

    // A fresh temporary folder to write step's checkpoint into.
    std::filesystem::path beginCheckpoint(std::int64_t step) const;
    // Renames the temporary to step-N (replacing an older step-N), updates index.json, and
    // deletes checkpoints beyond the keepLast newest except the best. Returns the folder.
    std::filesystem::path commitCheckpoint(const std::filesystem::path &temporary,
        std::int64_t step, std::optional<std::int64_t> bestStep, double bestValidLoss,
        int keepLast) const;
    // Deletes temporaries left by a killed process.
    void removeTemporaries() const;

private:
    explicit RunDirectory(std::filesystem::path dir) : m_dir(std::move(dir)) { }
    std::filesystem::path m_dir;
};

// Appends JSON lines (metrics.jsonl's events, probes.jsonl's replies), one write() per line so
// a reader never sees half a line from a live writer (a killed one can leave a torn last line;
// the readers skip it).
class JsonLinesWriter
{
public:
    explicit JsonLinesWriter(std::filesystem::path file);
    ~JsonLinesWriter();
    JsonLinesWriter(const JsonLinesWriter &) = delete;
    JsonLinesWriter &operator=(const JsonLinesWriter &) = delete;

    void append(std::string_view json); // one line, without its newline
    // Bytes written so far (what a checkpoint records to rewind to on resume).
    std::uint64_t size() const { return m_size; }
    // Drops everything after byte `size` (lines after the checkpoint a run resumes from).
    void truncate(std::uint64_t size);
    void sync(); // fsync, at checkpoints

private:
    std::filesystem::path m_file;
    int m_fd = -1;
    std::uint64_t m_size = 0;
};

// Follows a metrics.jsonl another process may still be writing: each poll() returns the events
// of the lines completed since the last one. A malformed line is skipped and counted (with its
// line number in warnings), a torn last line waits for its newline.
class MetricsReader
{
public:
    explicit MetricsReader(std::filesystem::path file);

    std::vector<TrainingEvent> poll();
    // True after a poll() that found the file shorter than already read (a run resumed from a
    // checkpoint rewinds its metrics): that poll re-read it from the start, so a viewer should
    // replace what it holds.
    bool restarted() const { return m_restarted; }
    std::uint64_t skippedLines() const { return m_skipped; }
    const std::vector<std::string> &warnings() const { return m_warnings; }

private:
    std::filesystem::path m_file;
    std::uint64_t m_offset = 0;
    std::uint64_t m_line = 0;
    std::string m_pending;
    std::uint64_t m_skipped = 0;
    bool m_restarted = false;
    std::vector<std::string> m_warnings;
};

} // namespace chatbench
