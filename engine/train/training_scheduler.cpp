#include "chatbench/training_scheduler.h"

#include "chatbench/error.h"

namespace chatbench {

Trainer &TrainingScheduler::add(std::unique_ptr<Trainer> trainer)
{
    if (find(trainer->config().name))
        throw Error("a run named '" + trainer->config().name + "' is already training");
    m_runs.push_back(std::move(trainer));
    return *m_runs.back();
}

Trainer *TrainingScheduler::find(const std::string &name) const
{
    for (const auto &t : m_runs)
        if (t->config().name == name)
            return t.get();
    return nullptr;
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
