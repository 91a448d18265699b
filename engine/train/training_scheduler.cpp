#include "chatbench/training_scheduler.h"

#include "chatbench/error.h"

#include <algorithm>

namespace fs = std::filesystem;

namespace chatbench {

namespace {

// One spelling per folder: "runs/a", "./runs/a/" and "runs/a/." are the same run.
fs::path key(const fs::path &runDir)
{
    fs::path p = fs::absolute(runDir).lexically_normal();
    return p.has_filename() ? p : p.parent_path();
}

} // namespace

Trainer &TrainingScheduler::add(std::unique_ptr<Trainer> trainer)
{
    if (find(trainer->directory().path()))
        throw Error::inFile(trainer->directory().path(), "this run is already training here");
    m_runs.push_back(std::move(trainer));
    return *m_runs.back();
}

Trainer *TrainingScheduler::find(const fs::path &runDir) const
{
    const fs::path wanted = key(runDir);
    for (const auto &t : m_runs)
        if (key(t->directory().path()) == wanted)
            return t.get();
    return nullptr;
}

std::unique_ptr<Trainer> TrainingScheduler::remove(const fs::path &runDir)
{
    const fs::path wanted = key(runDir);
    const auto it = std::find_if(m_runs.begin(), m_runs.end(),
        [&](const auto &t) { return key(t->directory().path()) == wanted; });
    if (it == m_runs.end())
        return nullptr;
    const auto index = std::size_t(it - m_runs.begin());
    std::unique_ptr<Trainer> out = std::move(*it);
    m_runs.erase(it);
    // The run after the removed one keeps its turn.
    if (index < m_next)
        --m_next;
    if (m_next >= m_runs.size())
        m_next = 0;
    return out;
}

std::vector<Trainer *> TrainingScheduler::runs() const
{
    std::vector<Trainer *> out;
    for (const auto &t : m_runs)
        out.push_back(t.get());
    return out;
}

bool TrainingScheduler::tick()
{
    for (std::size_t tried = 0; tried < m_runs.size(); ++tried) {
        Trainer &t = *m_runs[m_next];
        m_next = (m_next + 1) % m_runs.size();
        if (!t.canStep())
            continue;
        try {
            t.step();
        } catch (const std::exception &) {
            // Trainer::step logged the failure as the run's "failed" event.
        }
        return true;
    }
    return false;
}

void TrainingScheduler::runAll()
{
    while (tick()) { }
}

} // namespace chatbench
