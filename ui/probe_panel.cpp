#include "probe_panel.h"

#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>
#include <set>

namespace chatbench::ui {

namespace {

QString text(const std::string &utf8)
{
    return QString::fromStdString(utf8);
}

// The prompt as a row shows it: the history before it, oldest first, then the prompt.
QString contextText(const std::vector<std::string> &context)
{
    QStringList parts;
    for (const std::string &u : context)
        parts << text(u);
    return parts.join(QStringLiteral(" / "));
}

constexpr int kRunRole = Qt::UserRole + 1;

} // namespace

ProbePanel::ProbePanel(QWidget *parent) : QWidget(parent)
{
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setPageStep(1);
    m_stepLabel = new QLabel(this);
    m_stepLabel->setMinimumWidth(m_stepLabel->fontMetrics().horizontalAdvance("step 0000000"));
    m_table = new QTableWidget(this);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    // Rows fit their wrapped replies only while in sight (showEvent): fitting them costs about
    // 10 ms of the GUI thread at each evaluation, for nobody when another tab is shown.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_history = new QTextBrowser(this);
    m_history->hide(); // until a reply is clicked: the table gets the room

    auto *top = new QHBoxLayout;
    top->addWidget(m_note, 1);
    top->addWidget(m_slider, 2);
    top->addWidget(m_stepLabel);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_history);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_slider, &QSlider::valueChanged, this, [this](int index) {
        if (index < 0 || std::size_t(index) >= m_steps.size())
            return;
        m_step = m_steps[std::size_t(index)];
        m_followLatest = std::size_t(index) + 1 == m_steps.size();
        fillCells();
    });
    connect(m_table, &QTableWidget::cellClicked, this, [this](int row, int column) {
        if (const QTableWidgetItem *item = m_table->item(row, column))
            showHistory(row, item->data(kRunRole).toString());
    });
    retranslate();
    rebuild();
}

void ProbePanel::addRun(const RunSummary &run, const QColor &color)
{
    Run &r = m_runs[run.dir];
    r.name = run.name;
    r.color = color;
    rebuild();
}

void ProbePanel::removeRun(const QString &dir)
{
    if (m_runs.erase(dir)) {
        if (m_historyRun == dir) {
            m_historyRun.clear();
            m_historyRow = -1;
        }
        rebuild();
    }
}

void ProbePanel::setReplies(const QString &dir, const ProbeReplies &replies)
{
    Run &r = m_runs[dir];
    if (r.name.isEmpty())
        r.name = QDir(dir).dirName();
    r.replies.assign(replies.begin(), replies.end());
    std::stable_sort(
        r.replies.begin(), r.replies.end(), [](const ProbeReply &a, const ProbeReply &b) {
            return a.step != b.step ? a.step < b.step : a.index < b.index;
        });
    rebuild();
}

std::vector<QString> ProbePanel::runOrder() const
{
    std::vector<QString> dirs;
    for (const auto &[dir, run] : m_runs)
        if (!run.replies.empty())
            dirs.push_back(dir);
    std::stable_sort(dirs.begin(), dirs.end(), [this](const QString &a, const QString &b) {
        return m_runs.at(a).name.localeAwareCompare(m_runs.at(b).name) < 0;
    });
    return dirs;
}

void ProbePanel::rebuild()
{
    // Prompts in the order the runs ask them (the first run's first), each once.
    m_prompts.clear();
    std::set<qint64> steps;
    const std::vector<QString> dirs = runOrder();
    for (const QString &dir : dirs)
        for (const ProbeReply &r : m_runs.at(dir).replies) {
            steps.insert(r.step);
            if (std::find(m_prompts.begin(), m_prompts.end(), r.context) == m_prompts.end())
                m_prompts.push_back(r.context);
        }
    m_steps.assign(steps.begin(), steps.end());

    const QSignalBlocker block(m_slider);
    m_slider->setEnabled(m_steps.size() > 1);
    m_slider->setRange(0, std::max(0, int(m_steps.size()) - 1));
    if (m_steps.empty()) {
        m_step = -1;
    } else if (m_followLatest || m_step < 0) {
        m_step = m_steps.back();
    }
    if (!m_steps.empty()) {
        auto it = std::upper_bound(m_steps.begin(), m_steps.end(), m_step);
        const int index = it == m_steps.begin() ? 0 : int(it - m_steps.begin()) - 1;
        m_step = m_steps[std::size_t(index)];
        m_slider->setValue(index);
    }
    m_note->setVisible(m_steps.empty());
    fillCells();
}

const ProbeReply *ProbePanel::replyOf(
    const Run &run, const Context &context, qint64 step, const ProbeReply **previous) const
{
    const ProbeReply *found = nullptr;
    const ProbeReply *before = nullptr;
    for (const ProbeReply &r : run.replies) {
        if (r.step > step)
            break;
        if (r.context != context)
            continue;
        before = found;
        found = &r;
    }
    if (previous)
        *previous = before;
    return found;
}

void ProbePanel::fillCells()
{
    m_stepLabel->setText(m_step < 0 ? QString() : tr("step %1").arg(m_step));
    // The whole table is made again at each evaluation (~10 ms).
    if (m_whenShown.now(this))
        drawTable();
    if (m_historyRow >= 0 && !m_historyRun.isEmpty())
        showHistory(m_historyRow, m_historyRun);
    else
        m_history->hide();
}

void ProbePanel::drawTable()
{
    const std::vector<QString> dirs = runOrder();
    m_table->clear();
    m_table->setRowCount(int(m_prompts.size()));
    m_table->setColumnCount(1 + int(dirs.size()));
    auto *promptHeader = new QTableWidgetItem(tr("Prompt"));
    m_table->setHorizontalHeaderItem(0, promptHeader);
    for (std::size_t c = 0; c < dirs.size(); ++c) {
        const Run &run = m_runs.at(dirs[c]);
        auto *header = new QTableWidgetItem(run.name);
        header->setForeground(run.color);
        header->setToolTip(dirs[c]);
        m_table->setHorizontalHeaderItem(int(c) + 1, header);
    }
    for (std::size_t p = 0; p < m_prompts.size(); ++p) {
        auto *item = new QTableWidgetItem(contextText(m_prompts[p]));
        item->setToolTip(item->text());
        m_table->setItem(int(p), 0, item);
    }

    for (std::size_t p = 0; p < m_prompts.size(); ++p)
        for (std::size_t c = 0; c < dirs.size(); ++c) {
            const ProbeReply *previous = nullptr;
            const ProbeReply *reply = replyOf(m_runs.at(dirs[c]), m_prompts[p], m_step, &previous);
            auto *item = new QTableWidgetItem;
            item->setData(kRunRole, dirs[c]);
            if (reply) {
                const bool changed = previous && previous->reply != reply->reply;
                item->setText((changed ? QStringLiteral("● ") : QString()) + text(reply->reply));
                QFont font = item->font();
                font.setBold(changed);
                item->setFont(font);
                QString tip
                    = tr("At step %1 (epoch %2).").arg(reply->step).arg(reply->epoch, 0, 'f', 2);
                if (changed)
                    tip += ' '
                        + tr("Changed since step %1, which said: %2")
                              .arg(previous->step)
                              .arg(text(previous->reply));
                else if (previous)
                    tip += ' ' + tr("The same as at step %1.").arg(previous->step);
                item->setToolTip(tip);
            }
            m_table->setItem(int(p), int(c) + 1, item);
        }
}

void ProbePanel::showHistory(int row, const QString &dir)
{
    const auto run = m_runs.find(dir);
    if (row < 0 || std::size_t(row) >= m_prompts.size() || run == m_runs.end())
        return;
    m_historyRow = row;
    m_historyRun = dir;
    m_history->show();
    QString html = QStringLiteral("<p><b style=\"color:%1\">%2</b> — %3</p><table>")
                       .arg(run->second.color.name(), run->second.name.toHtmlEscaped(),
                           contextText(m_prompts[std::size_t(row)]).toHtmlEscaped());
    const std::string *before = nullptr;
    for (const ProbeReply &r : run->second.replies) {
        if (r.context != m_prompts[std::size_t(row)])
            continue;
        const bool changed = before && *before != r.reply;
        const bool selected = r.step == m_step;
        html += QStringLiteral("<tr><td>%1%2%3</td><td>%4</td><td>%5%6%7</td></tr>")
                    .arg(selected ? "<b>" : "", tr("step %1").arg(r.step), selected ? "</b>" : "",
                        changed ? QStringLiteral("●") : QString(), changed ? "<b>" : "",
                        text(r.reply).toHtmlEscaped(), changed ? "</b>" : "");
        before = &r.reply;
    }
    m_history->setHtml(html + QStringLiteral("</table>"));
}

QString ProbePanel::historyText() const
{
    return m_history->toPlainText();
}

void ProbePanel::showStep(qint64 step)
{
    if (m_steps.empty())
        return;
    auto it = std::upper_bound(m_steps.begin(), m_steps.end(), step);
    const int index = it == m_steps.begin() ? 0 : int(it - m_steps.begin()) - 1;
    if (m_slider->value() == index) {
        m_step = m_steps[std::size_t(index)];
        m_followLatest = std::size_t(index) + 1 == m_steps.size();
        fillCells();
    } else {
        m_slider->setValue(index);
    }
}

qint64 ProbePanel::selectedStep() const
{
    return m_step;
}

QStringList ProbePanel::prompts() const
{
    QStringList out;
    for (const Context &c : m_prompts)
        out << contextText(c);
    return out;
}

QString ProbePanel::replyAt(int row, const QString &dir) const
{
    const auto run = m_runs.find(dir);
    if (row < 0 || std::size_t(row) >= m_prompts.size() || run == m_runs.end())
        return {};
    const ProbeReply *r = replyOf(run->second, m_prompts[std::size_t(row)], m_step);
    return r ? text(r->reply) : QString();
}

void ProbePanel::showEvent(QShowEvent *event)
{
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    if (m_whenShown.owed())
        drawTable();
    QWidget::showEvent(event);
}

void ProbePanel::hideEvent(QHideEvent *event)
{
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    QWidget::hideEvent(event);
}

void ProbePanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        rebuild();
    }
    QWidget::changeEvent(event);
}

void ProbePanel::retranslate()
{
    m_note->setText(tr("No probe replies yet: each run answers its probe prompts at every "
                       "evaluation (run.json train.probes, else held-out dialogues)."));
    m_slider->setToolTip(tr("The evaluation step whose replies are shown; a click on a curve "
                            "point chooses it too"));
    m_table->setToolTip(tr("Click a reply to see how it changed."));
}

} // namespace chatbench::ui
