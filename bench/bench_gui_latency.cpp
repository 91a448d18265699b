// How responsive the GUI stays while the engine works: the real main window, two runs training
// on the engine thread and a chat column streaming replies, and on the GUI thread a 1 ms
// precise timer whose lateness is the event loop's latency (how long a click or a repaint
// would wait). Prints one JSON object: p50, p99, p99.9 and max lateness in ms, the number of
// samples, and how much work happened meanwhile (training steps, streamed tokens), so a
// quiet engine cannot pass for a responsive GUI; the slowest events the GUI thread handled
// (receiver class, event type, how much of it on the CPU), and for each tick over 16 ms late
// the dispatches that ran meanwhile, so a late timer can be told apart: waiting on a handler of
// ours, or on something outside the event loop. A second thread that only sleeps 1 ms at a time
// gives the machine's floor in the same run (`floor_lateness_ms`), and each late tick says how
// late that thread was at the same moment. docs/benchmarks.md records the figures.
//
// Usage (a display, or QT_QPA_PLATFORM=offscreen, or xvfb-run):
//   bench_gui_latency [SECONDS=20] [COMPUTE_THREADS=0 (all cores)] [WORK_DIR] [PANE=monitor|chat]
// PANE is the pane in sight: the monitor's plots redraw, or the chat's rows stream. PANE "none"
// runs only the floor thread, with no window and no engine: the machine at rest.

#include "chat_column.h"
#include "chat_pane.h"
#include "chat_service.h"
#include "chatbench/run_config.h"
#include "chatbench/run_directory.h"
#include "chatbench/runtime.h"
#include "conversation_grid.h"
#include "engine_thread.h"
#include "main_window.h"
#include "training_monitor.h"
#include "training_runs.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <fcntl.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using chatbench::ui::MainWindow;

// How often the calling thread gave up the CPU: waiting (voluntary) or preempted.
std::pair<long, long> contextSwitches()
{
    rusage usage {};
    getrusage(RUSAGE_THREAD, &usage);
    return { usage.ru_nvcsw, usage.ru_nivcsw };
}

// How long the thread that made this has waited, runnable, for a CPU (Linux's schedstat; 0
// elsewhere). The file stays open: the tick reads it a thousand times a second on the thread it
// measures.
class RunQueueWait
{
public:
    RunQueueWait() : m_fd(open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC)) { }
    ~RunQueueWait()
    {
        if (m_fd >= 0)
            close(m_fd);
    }
    RunQueueWait(const RunQueueWait &) = delete;
    RunQueueWait &operator=(const RunQueueWait &) = delete;

    double ms() const
    {
        char text[128];
        const ssize_t n = m_fd < 0 ? -1 : pread(m_fd, text, sizeof text - 1, 0);
        if (n <= 0)
            return 0;
        text[n] = '\0';
        unsigned long long onCpuNs = 0, waitedNs = 0;
        std::sscanf(text, "%llu %llu", &onCpuNs, &waitedNs);
        return double(waitedNs) / 1e6;
    }

private:
    int m_fd;
};

double threadCpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

// Times each event the GUI thread dispatches, queued slot calls (QEvent::MetaCall) included.
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;

    struct Dispatch
    {
        double ms;
        double cpuMs; // of those, on the CPU: the rest the thread waited (preempted, blocked)
        std::string receiver;
        int event;
        double startMs; // on `clock`
    };
    bool recording = false;
    long dispatches = 0; // outermost, while recording
    double dispatchMs = 0; // their total time
    QElapsedTimer clock; // the measurement's time line
    std::vector<Dispatch> slow; // dispatches over 4 ms
    std::deque<Dispatch> recent; // the last dispatches over 0.5 ms, to explain a late tick

    double nowMs() const { return double(clock.nsecsElapsed()) / 1e6; }

    bool notify(QObject *receiver, QEvent *event) override
    {
        // Only the outermost dispatch is timed: what it sends on (a paint to each child
        // widget) counts inside it, and timing each of those would slow the thread measured.
        if (!recording || depth > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        // Read before dispatching: the handler may delete either.
        const std::string name = receiver->metaObject()->className();
        const int type = int(event->type());
        const double start = nowMs();
        const double cpuBefore = threadCpuMs();
        ++depth;
        const bool handled = QApplication::notify(receiver, event);
        --depth;
        const double ms = nowMs() - start;
        ++dispatches;
        dispatchMs += ms;
        if (ms > 0.5 && recording) { // not the dispatch that ends the measurement
            const Dispatch d { ms, threadCpuMs() - cpuBefore, name, type, start };
            if (ms > 4)
                slow.push_back(d);
            recent.push_back(d);
            if (recent.size() > 64)
                recent.pop_front();
        }
        return handled;
    }

private:
    int depth = 0;
};

// Two runs of the fixture's size on a generated corpus: long enough to train for the whole
// measurement.
QStringList createRuns(const QString &workspace)
{
    const QString corpus = workspace + "/corpus.txt";
    {
        std::ofstream out(corpus.toStdString());
        const char *lines[] = { "你好", "今天天气很好", "我们去公园吧", "好的，几点见？",
            "下午三点", "不见不散", "最近在忙什么", "在学机器学习" };
        for (int d = 0; d < 2000; ++d)
            out << lines[d % 8] << "\n"
                << lines[(d + 3) % 8] << "\n"
                << lines[(d + 5) % 8] << "\n\n";
    }
    QStringList dirs;
    for (const char *name : { "scratch", "fine-tuned" }) {
        chatbench::RunConfig c;
        c.name = name;
        c.corpus = corpus.toStdString();
        c.tokenizer = CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh";
        if (std::string(name) == "fine-tuned")
            c.init = CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh";
        c.maxLen = 64;
        c.batchSize = 8;
        c.gradAccum = 1;
        c.maxSteps = 100000; // stopped by the benchmark, not by the schedule
        c.validCount = 20;
        c.evalEvery = 50;
        c.saveEvery = 100;
        c.threads = 1;
        const QString dir = workspace + "/" + name;
        chatbench::RunDirectory::create(dir.toStdString(), c);
        dirs << dir;
    }
    return dirs;
}

// The floor: a thread that only sleeps 1 ms at a time, the way the event loop sleeps (poll),
// beside the GUI thread in the same run. How late it wakes is what the machine gives any
// thread under this load, with no event loop, X server or handler of ours in the way: on a
// virtual machine, a virtual CPU the host takes away for a while delays both threads alike.
class FloorProbe
{
public:
    explicit FloorProbe(const QElapsedTimer &clock) : m_clock(clock) { }

    void start()
    {
        m_thread = std::thread([this] {
            while (!m_stop.load()) {
                const double start = nowMs();
                poll(nullptr, 0, 1);
                const double end = nowMs();
                lateMs.push_back(std::max(0.0, end - start - 1.0));
                if (end - start - 1.0 > 8)
                    lateSpans.push_back({ start, end });
            }
        });
    }
    void stop()
    {
        m_stop = true;
        m_thread.join();
    }

    // The floor's largest lateness in a span that overlaps [fromMs, toMs]; read after stop().
    double lateDuring(double fromMs, double toMs) const
    {
        double worst = 0;
        for (const auto &[start, end] : lateSpans)
            if (start < toMs && end > fromMs)
                worst = std::max(worst, end - start - 1.0);
        return worst;
    }

    std::vector<double> lateMs; // every sleep's lateness; read after stop()
    std::vector<std::pair<double, double>> lateSpans; // sleeps over 8 ms late: start, end

private:
    double nowMs() const { return double(m_clock.nsecsElapsed()) / 1e6; }

    const QElapsedTimer &m_clock;
    std::atomic<bool> m_stop { false };
    std::thread m_thread;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

nlohmann::json latenessMs(const std::vector<double> &v)
{
    return { { "p50", percentile(v, 0.5) }, { "p99", percentile(v, 0.99) },
        { "p999", percentile(v, 0.999) },
        { "max", v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()) } };
}

long over16ms(const std::vector<double> &v)
{
    return long(std::count_if(v.begin(), v.end(), [](double ms) { return ms > 16; }));
}

} // namespace

int main(int argc, char **argv)
{
    TimedApplication app(argc, argv);
    QCoreApplication::setOrganizationName("ChatBenchBench");
    QCoreApplication::setApplicationName("bench_gui_latency");
    const int seconds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    chatbench::configureThreads(argc > 2 ? std::atoi(argv[2]) : 0);
    QTemporaryDir temporary;
    const QString workspace = argc > 3 && argv[3][0] != '\0' ? QString(argv[3]) : temporary.path();
    const QString pane = argc > 4 ? QString(argv[4]) : QStringLiteral("monitor");

    // PANE "none": no window and no engine, only the floor thread: the machine at rest.
    if (pane == QLatin1String("none")) {
        QElapsedTimer clock;
        clock.start();
        FloorProbe floorProbe(clock);
        floorProbe.start();
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        floorProbe.stop();
        const nlohmann::json out
            = { { "seconds", seconds }, { "floor_lateness_ms", latenessMs(floorProbe.lateMs) },
                  { "floor_sleeps_over_16ms", over16ms(floorProbe.lateMs) },
                  { "pane", pane.toStdString() } };
        std::printf("%s\n", out.dump(2).c_str());
        return 0;
    }

    MainWindow window;
    window.resize(1280, 800);
    window.show();
    const QStringList runs = createRuns(workspace);
    window.openWorkspace(workspace);

    chatbench::ui::ChatPane *chat = window.chatPane();
    // Set either way: the window reopens the pane it was closed on.
    window.panes()->setCurrentWidget(pane == QLatin1String("chat")
            ? static_cast<QWidget *>(chat)
            : static_cast<QWidget *>(window.trainingMonitor()));
    chatbench::ui::ChatModelSpec spec;
    spec.name = "tiny";
    spec.source = CHATBENCH_FIXTURES_DIR "/tiny-gpt2-zh";
    spec.maxNewTokens = 60;
    chat->columns()[0]->setSpec(spec);
    long tokens = 0, turns = 0, steps = 0;
    QObject::connect(window.engine()->runs(), &chatbench::ui::TrainingRuns::metrics, &window,
        [&](const QString &, const chatbench::ui::EventBatch &events, bool) {
            for (const auto &e : events)
                steps += e.event == chatbench::EventKind::Train;
        });
    // A new message as soon as the last reply is complete: the chat streams all the time.
    const auto say = [chat] {
        chat->input()->setText(QStringLiteral("你好，今天天气很好"));
        chat->send();
    };
    QObject::connect(chat, &chatbench::ui::ChatPane::turnFinished, &window, [&] {
        ++turns;
        // The tokens decoded, from the turn's replies: the engine streams a column's text at
        // most every 25 ms, not an event per token.
        if (!chat->conversation()->turns().empty())
            for (const chatbench::ChatReply &r : chat->conversation()->turns().back().replies)
                tokens += long(r.tokensDecoded());
        QTimer::singleShot(0, &window, say);
    });

    std::vector<double> lateMs;
    struct LateSpan
    {
        double fromMs, toMs, late;
    };
    std::vector<LateSpan> lateTicksOver4ms; // ticks over 4 ms late, to set beside the floor
    double guiCpuMs = 0; // the GUI thread's CPU time over the measurement
    // Each tick over 16 ms late with what the GUI thread did meanwhile: the dispatches over half
    // a millisecond, how many it dispatched in all and for how long, its CPU time, and how
    // often it waited or was preempted, and how long it waited, runnable, for a CPU. No
    // dispatch and no CPU time means the thread was off the CPU outside ChatBench's handlers;
    // no wait for a CPU either means it was woken late. On a virtual machine the guest cannot
    // see the host taking its CPU away: that time counts as the thread's CPU time, and the
    // floor thread (`floor_late_ms`) shows it.
    nlohmann::json lateTicks = nlohmann::json::array();
    FloorProbe floorProbe(app.clock);
    const RunQueueWait runQueueWait; // the GUI thread's: made on it
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    struct
    {
        double ms = 0, cpuMs = 0, dispatchMs = 0, runQueueMs = 0;
        long dispatches = 0;
        std::pair<long, long> switches;
    } last;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const double now = app.nowMs();
        const double cpu = threadCpuMs();
        const auto switches = contextSwitches();
        const double runQueue = runQueueWait.ms();
        const double late = std::max(0.0, now - last.ms - 1.0);
        lateMs.push_back(late);
        if (late > 4)
            lateTicksOver4ms.push_back({ last.ms, now, late });
        if (late > 16 && lateTicks.size() < 10) {
            nlohmann::json during = nlohmann::json::array();
            for (const auto &d : app.recent)
                if (d.startMs + d.ms > last.ms)
                    during.push_back({ { "ms", d.ms }, { "cpu_ms", d.cpuMs },
                        { "receiver", d.receiver }, { "event", d.event } });
            lateTicks.push_back({ { "late_ms", late }, { "at_s", now / 1e3 },
                { "dispatches_over_half_ms", during },
                { "dispatches", app.dispatches - last.dispatches },
                { "dispatch_ms", app.dispatchMs - last.dispatchMs }, { "cpu_ms", cpu - last.cpuMs },
                { "waits", switches.first - last.switches.first },
                { "preemptions", switches.second - last.switches.second },
                { "run_queue_ms", runQueue - last.runQueueMs } });
        }
        last = { now, cpu, app.dispatchMs, runQueue, app.dispatches, switches };
    });

    // Half a second for the window and the workspace, then the work starts and, a second
    // later (the models are loaded, the runs set up), the measurement.
    QTimer::singleShot(500, &window, [&] {
        for (const QString &dir : runs)
            Q_EMIT window.trainingMonitor()->startRequested(QFileInfo(dir).absoluteFilePath());
        say();
    });
    QTimer::singleShot(1500, &window, [&] {
        steps = tokens = turns = 0;
        app.clock.start();
        last = { 0, threadCpuMs(), app.dispatchMs, runQueueWait.ms(), app.dispatches,
            contextSwitches() };
        guiCpuMs = last.cpuMs;
        tick.start();
        floorProbe.start();
        app.recording = true;
    });
    QTimer::singleShot(1500 + seconds * 1000, &window, [&] {
        guiCpuMs = threadCpuMs() - guiCpuMs;
        app.recording = false;
        tick.stop();
        floorProbe.stop();
        QCoreApplication::quit();
    });
    app.exec();

    // The slowest dispatches, each with how late the floor thread was meanwhile: CPU time the
    // host took away shows there, not in `cpu_ms`.
    std::sort(
        app.slow.begin(), app.slow.end(), [](const auto &a, const auto &b) { return a.ms > b.ms; });
    nlohmann::json slowest = nlohmann::json::array();
    for (std::size_t i = 0; i < std::min<std::size_t>(8, app.slow.size()); ++i) {
        const auto &d = app.slow[i];
        slowest.push_back({ { "ms", d.ms }, { "cpu_ms", d.cpuMs }, { "receiver", d.receiver },
            { "event", d.event },
            { "floor_late_ms", floorProbe.lateDuring(d.startMs, d.startMs + d.ms) } });
    }
    const auto over16
        = std::count_if(app.slow.begin(), app.slow.end(), [](const auto &s) { return s.ms > 16; });
    // The latest tick and the slowest dispatch while the floor thread was on time (never over
    // 8 ms late): what ChatBench's own work and the GUI's share of the machine cost, without
    // the CPU time the host took away.
    double lateWithFloorOnTime = 0, slowestWithFloorOnTime = 0;
    for (const LateSpan &t : lateTicksOver4ms)
        if (floorProbe.lateDuring(t.fromMs, t.toMs) == 0)
            lateWithFloorOnTime = std::max(lateWithFloorOnTime, t.late);
    for (const auto &d : app.slow)
        if (floorProbe.lateDuring(d.startMs, d.startMs + d.ms) == 0)
            slowestWithFloorOnTime = std::max(slowestWithFloorOnTime, d.ms);
    // Whether the floor thread was late at the same time as each late tick.
    for (nlohmann::json &t : lateTicks) {
        const double endMs = t["at_s"].get<double>() * 1e3;
        t["floor_late_ms"] = floorProbe.lateDuring(endMs - t["late_ms"].get<double>() - 1, endMs);
    }
    const nlohmann::json out = { { "seconds", seconds }, { "samples", lateMs.size() },
        { "lateness_ms", latenessMs(lateMs) }, { "ticks_over_16ms", over16ms(lateMs) },
        { "floor_lateness_ms", latenessMs(floorProbe.lateMs) },
        { "floor_sleeps_over_16ms", over16ms(floorProbe.lateMs) },
        { "max_lateness_with_floor_on_time_ms", lateWithFloorOnTime },
        { "slowest_dispatch_with_floor_on_time_ms", slowestWithFloorOnTime },
        { "dispatches_over_16ms", over16 }, { "slowest_dispatches", slowest },
        { "late_ticks", lateTicks }, { "training_steps", steps }, { "chat_turns", turns },
        { "streamed_tokens", tokens }, { "gui_thread_cpu_ms", guiCpuMs },
        { "compute_threads", chatbench::computeThreads() },
        { "platform", QGuiApplication::platformName().toStdString() },
        { "pane", pane.toStdString() } };
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
}
