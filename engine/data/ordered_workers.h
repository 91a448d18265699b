#pragma once
// A pool of threads that processes submitted items in parallel and hands the results back in
// submission order, so output does not depend on scheduling. submit() blocks while the queue
// is full: the producer (a corpus reader) can never run ahead by more than a few chunks.

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace chatbench {

template<typename In, typename Out>
class OrderedWorkers
{
public:
    using Work = std::function<void(const In &, Out &)>;

    // threads <= 0: one per core.
    OrderedWorkers(int threads, Work work) : m_work(std::move(work))
    {
        const int n = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
        m_maxQueued = 2 * static_cast<std::size_t>(n);
        for (int i = 0; i < n; ++i)
            m_threads.emplace_back([this] { run(); });
    }

    ~OrderedWorkers() { stop(); }
    OrderedWorkers(const OrderedWorkers &) = delete;
    OrderedWorkers &operator=(const OrderedWorkers &) = delete;

    // Rethrows the first exception a worker raised.
    void submit(In item)
    {
        std::unique_lock lock(m_mutex);
        m_space.wait(lock, [this] { return m_queue.size() < m_maxQueued || m_error; });
        if (m_error)
            std::rethrow_exception(m_error);
        m_queue.emplace_back(m_results.size(), std::move(item));
        m_results.emplace_back();
        m_ready.notify_one();
    }

    // Waits for every item, then passes the results to consume in submission order.
    void finish(const std::function<void(Out &&)> &consume)
    {
        stop();
        if (m_error)
            std::rethrow_exception(m_error);
        for (auto &r : m_results) {
            consume(std::move(*r));
            r.reset();
        }
    }

private:
    void run()
    {
        for (;;) {
            std::pair<std::size_t, In> job;
            {
                std::unique_lock lock(m_mutex);
                m_ready.wait(lock, [this] { return !m_queue.empty() || m_closed; });
                if (m_queue.empty())
                    return;
                job = std::move(m_queue.front());
                m_queue.pop_front();
                m_space.notify_one();
            }
            auto out = std::make_unique<Out>();
            try {
                m_work(job.second, *out);
            } catch (...) {
                std::lock_guard lock(m_mutex);
                if (!m_error)
                    m_error = std::current_exception();
                m_queue.clear();
                m_space.notify_all();
                continue;
            }
            std::lock_guard lock(m_mutex);
            m_results[job.first] = std::move(out);
        }
    }

    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_closed = true;
        }
        m_ready.notify_all();
        for (auto &t : m_threads)
            if (t.joinable())
                t.join();
    }

    Work m_work;
    std::size_t m_maxQueued;
    std::mutex m_mutex;
    std::condition_variable m_ready, m_space;
    std::deque<std::pair<std::size_t, In>> m_queue;
    std::vector<std::unique_ptr<Out>> m_results;
    std::vector<std::thread> m_threads;
    std::exception_ptr m_error;
    bool m_closed = false;
};

} // namespace chatbench
