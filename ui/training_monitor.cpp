#include "training_monitor.h"

#include "epoch_table.h"
#include "language.h"
#include "probe_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QMessageBox>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>
#include <qcustomplot.h>

namespace chatbench::ui {

namespace {

// Tableau 10: distinct at a glance and for the common colour-vision deficiencies.
const QColor kPalette[] = { QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
    QColor(214, 39, 40), QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194),
    QColor(127, 127, 127), QColor(188, 189, 34), QColor(23, 190, 207) };

QString duration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("-");
    const qint64 s = qint64(seconds);
    return s >= 3600
        ? QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'))
        : QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

PlotPoint pointOf(const TrainingEvent &e, double value)
{
    return { double(e.step), e.epoch, double(e.tokens), e.time, value };
}

} // namespace

const TrainingEvent *TrainingMonitor::Run::lastTrain() const
{
    for (auto it = events.rbegin(); it != events.rend(); ++it)
        if (it->event == EventKind::Train)
            return &*it;
    return nullptr;
}

TrainingMonitor::TrainingMonitor(QWidget *parent)
    : QWidget(parent), m_loss(new MetricsPlot(QString(), this)),
      m_acc(new MetricsPlot(QString(), this)), m_epochs(new EpochTable(this)),
      m_probes(new ProbePanel(this)), m_flushTimer(new QTimer(this))
{
    auto *plots = new QSplitter(Qt::Horizontal, this);
    plots->addWidget(m_loss);
    plots->addWidget(m_acc);
    m_loss->setLegendShown(false);
    m_acc->setLegendShown(false);
    m_legend = new QLabel(this);
    m_legend->setWordWrap(true);
    m_legend->setTextFormat(Qt::RichText);
    auto *curves = new QWidget(this);
    auto *curvesLayout = new QVBoxLayout(curves);
    curvesLayout->setContentsMargins(0, 0, 0, 0);
    curvesLayout->addWidget(plots, 1);
    curvesLayout->addWidget(m_legend);
    auto *vertical = m_vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(curves);
    vertical->addWidget(createRunPanel());
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 1);
    vertical->setSizes({ 600, 220 }); // the curves first; the table is a summary

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createControls());
    layout->addWidget(vertical, 1);

    retranslate();
    m_flushTimer->setInterval(100); // at most 10 replots a second
    m_acc->setReplotDelay(50); // halfway to the next flush: never in one pass with the loss
    connect(m_flushTimer, &QTimer::timeout, this, &TrainingMonitor::flush);
    m_flushTimer->start();
}

QWidget *TrainingMonitor::createControls()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_xAxis = new QComboBox(bar);
    m_smoothing = new QSlider(Qt::Horizontal, bar);
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(60);
    m_smoothing->setMaximumWidth(160);
    m_smoothingValue = new QLabel("0.60", bar);
    m_logScale = new QCheckBox(bar);
    auto *reset = m_resetView = new QPushButton(bar);
    m_xAxisTitle = new QLabel(bar);
    m_smoothingTitle = new QLabel(bar);
    row->addWidget(m_xAxisTitle);
    row->addWidget(m_xAxis);
    row->addSpacing(12);
    row->addWidget(m_smoothingTitle);
    row->addWidget(m_smoothing);
    row->addWidget(m_smoothingValue);
    row->addSpacing(12);
    row->addWidget(m_logScale);
    row->addWidget(reset);
    row->addStretch(1);

    connect(m_xAxis, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        m_loss->setXAxis(XAxisKind(i));
        m_acc->setXAxis(XAxisKind(i));
    });
    connect(m_smoothing, &QSlider::valueChanged, this, [this](int v) {
        m_smoothingValue->setText(QString::number(v / 100.0, 'f', 2));
        m_loss->setSmoothing(v / 100.0);
        m_acc->setSmoothing(v / 100.0);
    });
    // Loss spans orders of magnitude early on; accuracy stays linear (it is a fraction).
    connect(m_logScale, &QCheckBox::toggled, m_loss, &MetricsPlot::setLogScale);
    connect(reset, &QPushButton::clicked, this, [this] {
        m_loss->resetView();
        m_acc->resetView();
    });
    // The plot controls are remembered between sessions.
    setItemTexts(m_xAxis, { QString(), QString(), QString(), QString() }); // XAxisKind's order
    QSettings settings;
    m_xAxis->setCurrentIndex(settings.value("monitor/xAxis", 0).toInt());
    m_smoothing->setValue(settings.value("monitor/smoothing", 60).toInt());
    m_logScale->setChecked(settings.value("monitor/logScale", false).toBool());
    m_loss->setSmoothing(m_smoothing->value() / 100.0);
    m_acc->setSmoothing(m_smoothing->value() / 100.0);
    connect(m_xAxis, qOverload<int>(&QComboBox::currentIndexChanged), this,
        [](int i) { QSettings().setValue("monitor/xAxis", i); });
    connect(m_smoothing, &QSlider::valueChanged, this,
        [](int v) { QSettings().setValue("monitor/smoothing", v); });
    connect(m_logScale, &QCheckBox::toggled, this,
        [](bool on) { QSettings().setValue("monitor/logScale", on); });
    return bar;
}

QWidget *TrainingMonitor::createRunPanel()
{
    auto *panel = new QWidget(this);
    auto *column = new QVBoxLayout(panel);
    column->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    m_runChoice = new QComboBox(panel);
    m_runChoice->setMinimumContentsLength(16);
    m_progress = new QProgressBar(panel);
    m_progress->setRange(0, 1000);
    m_progress->setFormat("%p%");
    m_speed = new QLabel(panel);
    // Enough for the numbers; the progress bar gives way first (the window may be narrow).
    m_speed->setMinimumWidth(m_speed->fontMetrics().horizontalAdvance("0000 tokens/s, ETA 00m"));
    m_progress->setMinimumWidth(60);
    m_start = new QPushButton(panel);
    m_pause = new QPushButton(panel);
    m_resume = new QPushButton(panel);
    m_stop = new QPushButton(panel);
    m_showError = new QPushButton(panel);
    m_runTitle = new QLabel(panel);
    row->addWidget(m_runTitle);
    row->addWidget(m_runChoice);
    row->addWidget(m_progress, 1);
    row->addWidget(m_speed);
    for (QPushButton *b : { m_showError, m_start, m_pause, m_resume, m_stop })
        row->addWidget(b);
    column->addLayout(row);
    // The selected run's epochs, or every run's probe replies: a click on a curve point shows
    // the replies at its step.
    m_details = new QTabWidget(panel);
    m_details->setDocumentMode(true);
    m_details->addTab(m_epochs, QString());
    m_details->addTab(m_probes, QString());
    column->addWidget(m_details, 1);
    for (MetricsPlot *plot : { m_loss, m_acc })
        connect(plot, &MetricsPlot::pointClicked, this, [this](qint64 step) {
            m_probes->showStep(step);
            showProbeReplies();
        });

    const auto forSelected = [this](void (TrainingMonitor::*signal)(const QString &)) {
        return [this, signal] {
            if (!selectedRun().isEmpty())
                Q_EMIT(this->*signal)(selectedRun());
        };
    };
    connect(m_start, &QPushButton::clicked, this, forSelected(&TrainingMonitor::startRequested));
    connect(m_pause, &QPushButton::clicked, this, forSelected(&TrainingMonitor::pauseRequested));
    connect(m_resume, &QPushButton::clicked, this, forSelected(&TrainingMonitor::resumeRequested));
    connect(m_stop, &QPushButton::clicked, this, forSelected(&TrainingMonitor::stopRequested));
    connect(m_showError, &QPushButton::clicked, this, [this] {
        const auto it = m_runs.find(selectedRun());
        if (it == m_runs.end() || it->second.failure.isEmpty())
            return;
        // Non-modal, like every error box: the curves go on updating behind it.
        auto *box = new QMessageBox(QMessageBox::Warning,
            tr("Run %1 failed").arg(it->second.summary.name), it->second.failure, QMessageBox::Ok,
            this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setModal(false);
        box->show();
    });
    connect(m_runChoice, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        updateRunPanel();
        Q_EMIT selectedRunChanged(selectedRun());
    });
    updateRunPanel();
    return panel;
}

void TrainingMonitor::showProbeReplies()
{
    m_details->setCurrentWidget(m_probes);
    // Replies need more room than the epoch table: at least 45% of the height.
    const QList<int> sizes = m_vertical->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    if (total > 0 && sizes.value(1) < total * 45 / 100)
        m_vertical->setSizes({ total * 55 / 100, total - total * 55 / 100 });
}

void TrainingMonitor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void TrainingMonitor::retranslate()
{
    m_loss->setValueLabel(tr("loss"));
    m_acc->setValueLabel(tr("token accuracy"));
    setItemTexts(m_xAxis, { tr("Step"), tr("Epoch"), tr("Tokens"), tr("Wall time") });
    m_xAxisTitle->setText(tr("X axis:"));
    m_smoothingTitle->setText(tr("Smoothing:"));
    m_smoothing->setToolTip(tr("TensorBoard's debiased exponential moving average"));
    m_logScale->setText(tr("Log scale"));
    m_logScale->setToolTip(tr("Logarithmic loss axis (accuracy stays linear)"));
    m_resetView->setText(tr("Reset view"));
    m_resetView->setToolTip(tr("Fit every visible curve and follow new points again"));
    m_runTitle->setText(tr("Run:"));
    m_start->setText(tr("Start"));
    m_start->setToolTip(tr("Train this run here, from its latest checkpoint"));
    m_pause->setText(tr("Pause"));
    m_resume->setText(tr("Resume"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop at the next step, with a checkpoint"));
    m_showError->setText(tr("Show Error"));
    m_showError->setToolTip(tr("Why this run failed"));
    m_details->setTabText(m_details->indexOf(m_epochs), tr("Epochs"));
    m_details->setTabText(m_details->indexOf(m_probes), tr("Probe Replies"));
    updateLegend();
    updateRunPanel(); // the speed and ETA line
}

void TrainingMonitor::addRun(const RunSummary &run)
{
    if (m_runs.count(run.dir))
        return;
    Run &r = m_runs[run.dir];
    r.summary = run;
    r.color = colorFor(run.name);
    m_order << run.dir;
    QPixmap swatch(12, 12);
    swatch.fill(r.color);
    m_runChoice->addItem(QIcon(swatch), run.name, run.dir);
    m_probes->addRun(run, r.color);
    updateLegend();
}

void TrainingMonitor::updateLegend()
{
    QStringList entries;
    for (const QString &dir : m_order) {
        const Run &r = m_runs.at(dir);
        const QString name = r.summary.name.toHtmlEscaped();
        entries << (r.shown
                ? QStringLiteral("<span style='color:%1'>&#9473;&#9473;</span>&nbsp;%2")
                      .arg(r.color.name(), name)
                : QStringLiteral("<span style='color:gray'><s>%1</s></span>").arg(name));
    }
    const QString key = tr("solid: training (smoothed; raw values faint) · dashed with dots: "
                           "validation · untick a run in the run list to hide it");
    m_legend->setText(entries.join(QStringLiteral("&nbsp;&nbsp;&nbsp; "))
        + QStringLiteral("&nbsp;&nbsp;&nbsp; <span style='color:gray'>%1</span>")
              .arg(key.toHtmlEscaped()));
}

QColor TrainingMonitor::colorFor(const QString &name) const
{
    // FNV-1a of the UTF-8 name: the same in every session (qHash is seeded per process).
    quint32 hash = 2166136261u;
    for (const char c : name.toUtf8()) {
        hash ^= quint8(c);
        hash *= 16777619u;
    }
    const std::size_t n = std::size(kPalette);
    for (std::size_t k = 0; k < n; ++k) {
        const QColor candidate = kPalette[(hash + k) % n];
        if (std::none_of(m_runs.begin(), m_runs.end(),
                [&](const auto &run) { return run.second.color == candidate; }))
            return candidate;
    }
    return kPalette[hash % n];
}

void TrainingMonitor::setRunShown(const QString &dir, bool shown)
{
    const auto it = m_runs.find(dir);
    if (it == m_runs.end())
        return;
    it->second.shown = shown;
    for (MetricsPlot *plot : { m_loss, m_acc })
        for (const bool valid : { false, true })
            plot->setRunVisible(dir, valid, shown);
    updateLegend();
}

bool TrainingMonitor::isRunShown(const QString &dir) const
{
    const auto it = m_runs.find(dir);
    return it != m_runs.end() && it->second.shown;
}

void TrainingMonitor::removeRun(const QString &dir)
{
    if (!m_runs.count(dir))
        return;
    m_loss->removeRun(dir);
    m_acc->removeRun(dir);
    m_probes->removeRun(dir);
    m_runs.erase(dir);
    m_order.removeAll(dir);
    const int i = m_runChoice->findData(dir);
    if (i >= 0)
        m_runChoice->removeItem(i);
    updateRunPanel();
    updateLegend();
}

void TrainingMonitor::ingest(const QString &dir, const EventBatch &events, bool restarted)
{
    auto it = m_runs.find(dir);
    if (it == m_runs.end())
        return;
    Run &r = it->second;
    if (restarted) {
        r.pending.clear();
        r.restart = true;
    }
    r.pending.insert(r.pending.end(), events.begin(), events.end());
}

void TrainingMonitor::flush()
{
    bool selectedChanged = false;
    for (const QString &dir : m_order) {
        Run &r = m_runs[dir];
        if (r.pending.empty() && !r.restart)
            continue;
        const QString failureBefore = r.failure;
        if (r.restart) {
            r.failure.clear();
            r.events.clear();
            m_loss->clearRun(dir);
            m_acc->clearRun(dir);
            r.restart = false;
        }
        std::vector<PlotPoint> trainLoss, trainAcc, validLoss, validAcc;
        trainLoss.reserve(r.pending.size());
        trainAcc.reserve(r.pending.size());
        // The state the newest end event left (Idle: none, or a resume after it).
        RunState ended = RunState::Idle;
        for (const TrainingEvent &e : r.pending) {
            if (e.event == EventKind::Train) {
                trainLoss.push_back(pointOf(e, e.loss));
                if (std::isfinite(e.acc))
                    trainAcc.push_back(pointOf(e, e.acc));
            } else if (e.event == EventKind::Valid) {
                validLoss.push_back(pointOf(e, e.loss));
                if (std::isfinite(e.acc))
                    validAcc.push_back(pointOf(e, e.acc));
            } else if (e.event == EventKind::Finished) {
                ended = RunState::Finished;
            } else if (e.event == EventKind::Stopped) {
                ended = RunState::Stopped;
            } else if (e.event == EventKind::Failed) {
                ended = RunState::Failed;
                r.failure = QString::fromStdString(e.message);
            } else if (e.event == EventKind::Resume) {
                ended = RunState::Idle;
                r.failure.clear();
            }
        }
        r.events.insert(r.events.end(), std::make_move_iterator(r.pending.begin()),
            std::make_move_iterator(r.pending.end()));
        r.pending.clear();
        const QString &name = r.summary.name;
        m_loss->addPoints(dir, name, r.color, false, trainLoss);
        m_loss->addPoints(dir, name, r.color, true, validLoss);
        m_acc->addPoints(dir, name, r.color, false, trainAcc);
        m_acc->addPoints(dir, name, r.color, true, validAcc);
        if (!r.shown)
            setRunShown(dir, false); // a series created just now starts hidden too
        if (const TrainingEvent *last = r.lastTrain()) {
            Q_EMIT runProgress(dir, last->step, last->loss, last->acc, last->progress);
            Q_EMIT runSpeed(dir, last->tokensPerSecond, last->etaSeconds);
        }
        // Lines arriving after the file was first read mean another process is training it
        // (nothing tells whether an old, unfinished file's writer is alive: that one stays idle).
        if (!r.summary.inProcess) {
            if (ended != RunState::Idle)
                setRunState(dir, ended);
            else if (r.loaded && !trainLoss.empty() && r.summary.state != RunState::External)
                setRunState(dir, RunState::External);
        }
        if (r.failure != failureBefore || (ended == RunState::Failed && r.loaded))
            Q_EMIT runFailed(dir, r.failure, r.loaded || r.summary.inProcess);
        r.loaded = true;
        selectedChanged |= dir == selectedRun();
    }
    if (selectedChanged)
        updateRunPanel();
}

void TrainingMonitor::setRunState(const QString &dir, RunState state)
{
    auto it = m_runs.find(dir);
    if (it == m_runs.end())
        return;
    it->second.summary.state = state;
    // Only the engine's runs report Idle, Running or Paused (metrics report how runs end).
    if (state == RunState::Idle || state == RunState::Running || state == RunState::Paused)
        it->second.summary.inProcess = true;
    Q_EMIT runEnded(dir, state);
    if (dir == selectedRun())
        updateRunPanel();
}

void TrainingMonitor::updateRunPanel()
{
    const QString dir = selectedRun();
    const auto it = m_runs.find(dir);
    if (it == m_runs.end()) {
        m_epochs->setRows({});
        m_progress->setValue(0);
        m_speed->clear();
        for (QPushButton *b : { m_start, m_pause, m_resume, m_stop })
            b->setEnabled(false);
        m_showError->hide();
        return;
    }
    const Run &r = it->second;
    m_epochs->setRows(chatbench::epochTable(r.events));
    const TrainingEvent *last = r.lastTrain();
    const RunState state = r.summary.state;
    if (last && std::isfinite(last->progress))
        m_progress->setValue(int(std::lround(last->progress * 1000)));
    else if (state == RunState::Finished)
        m_progress->setValue(1000);
    else
        m_progress->setValue(0);
    m_speed->setText(last ? tr("%1 tokens/s, ETA %2, %3")
                                .arg(std::isfinite(last->tokensPerSecond)
                                        ? QString::number(last->tokensPerSecond, 'f', 0)
                                        : QStringLiteral("-"),
                                    state == RunState::Running || state == RunState::External
                                        ? duration(last->etaSeconds)
                                        : QStringLiteral("-"),
                                    runStateText(state))
                          : runStateText(state));
    const bool here = r.summary.inProcess;
    // A run another process trains must not get a second writer.
    // A finished run has nothing left to train; one another process trains must not get a
    // second writer; a stopped or failed one continues from its latest checkpoint.
    // Shown only when there is an error to show: the row must fit a narrow window.
    m_showError->setVisible(state == RunState::Failed && !r.failure.isEmpty());
    m_start->setEnabled(canStart(state));
    m_pause->setEnabled(here && state == RunState::Running);
    m_resume->setEnabled(here && state == RunState::Paused);
    m_stop->setEnabled(here && (state == RunState::Running || state == RunState::Paused));
}

void TrainingMonitor::selectRun(const QString &dir)
{
    const int i = m_runChoice->findData(dir);
    if (i >= 0)
        m_runChoice->setCurrentIndex(i);
}

QString TrainingMonitor::selectedRun() const
{
    return m_runChoice->currentData().toString();
}
QStringList TrainingMonitor::runs() const
{
    return m_order;
}

QColor TrainingMonitor::runColor(const QString &dir) const
{
    const auto it = m_runs.find(dir);
    return it == m_runs.end() ? QColor() : it->second.color;
}

RunState TrainingMonitor::runState(const QString &dir) const
{
    const auto it = m_runs.find(dir);
    return it == m_runs.end() ? RunState::Idle : it->second.summary.state;
}

QString TrainingMonitor::failure(const QString &dir) const
{
    const auto it = m_runs.find(dir);
    return it == m_runs.end() ? QString() : it->second.failure;
}

const std::vector<TrainingEvent> &TrainingMonitor::events(const QString &dir) const
{
    static const std::vector<TrainingEvent> none;
    const auto it = m_runs.find(dir);
    return it == m_runs.end() ? none : it->second.events;
}

bool TrainingMonitor::exportPlots(const QString &file, QString *written)
{
    const QFileInfo info(file);
    const QString base = info.path() + "/" + info.completeBaseName();
    const bool pdf = info.suffix().compare("pdf", Qt::CaseInsensitive) == 0;
    QStringList files;
    bool ok = true;
    for (auto [plot, name] : { std::pair { m_loss, "loss" }, std::pair { m_acc, "accuracy" } }) {
        const QString out = base + "-" + name + (pdf ? ".pdf" : ".png");
        QCustomPlot *p = plot->customPlot();
        plot->clearReadout();
        plot->setLegendShown(true); // the image stands alone
        ok &= pdf ? p->savePdf(out, 900, 600) : p->savePng(out, 900, 600, 2.0);
        plot->setLegendShown(false);
        files << out;
    }
    if (written)
        *written = files.join(", ");
    return ok;
}

bool TrainingMonitor::exportCsv(const QString &file) const
{
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    QTextStream s(&out);
    const auto num
        = [](double v) { return std::isfinite(v) ? QString::number(v, 'g', 10) : QString(); };
    s << "run,event,step,epoch,tokens,time,loss,acc,ppl,lr,tokens_per_s\n";
    for (const QString &dir : m_order) {
        const Run &r = m_runs.at(dir);
        for (const TrainingEvent &e : r.events) {
            if (e.event != EventKind::Train && e.event != EventKind::Valid
                && e.event != EventKind::Epoch)
                continue;
            s << '"' << QString(r.summary.name).replace('"', "\"\"") << "\"," << toString(e.event)
              << ',' << e.step << ',' << num(e.epoch) << ',' << e.tokens << ',' << num(e.time)
              << ',' << num(e.loss) << ',' << num(e.acc) << ',' << num(e.ppl) << ',' << num(e.lr)
              << ',' << num(e.tokensPerSecond) << '\n';
        }
    }
    return s.status() == QTextStream::Ok;
}

} // namespace chatbench::ui
