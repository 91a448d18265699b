// The Model Comparison pane and its blind A/B judging (model_comparison.h).

#include "model_comparison.h"

#include "chatbench/prompt_set.h"
#include "chatbench/transcript.h"
#include "model_loader.h"
#include "shortcuts_dialog.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>

namespace chatbench::ui {
namespace {

QString contextHtml(const PromptDialogue &d)
{
    QString html;
    for (std::size_t i = 0; i < d.context.size(); ++i)
        html += QStringLiteral("<p>%1</p>")
                    .arg(QString::fromStdString(d.context[i]).toHtmlEscaped());
    return html;
}

QString contextLine(const PromptDialogue &d)
{
    QStringList context;
    for (const std::string &u : d.context)
        context << QString::fromStdString(u);
    return context.join(QStringLiteral(" / ")); // shown, not parsed again
}

QString minutesSeconds(qint64 seconds)
{
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

ModelComparison::ModelComparison(QWidget *parent) : QWidget(parent)
{
    m_prompts = new QPlainTextEdit(this);
    m_load = new QPushButton(this);
    m_run = new QPushButton(this);
    m_stop = new QPushButton(this);
    m_stop->setEnabled(false);
    m_export = new QPushButton(this);
    m_blind = new QCheckBox(this);
    m_progress = new QLabel(this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_load);
    buttons->addWidget(m_blind);
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_progress, 1);
    buttons->addWidget(m_export);

    m_replies = new QTableWidget(0, 2, this);
    m_replies->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_replies->setWordWrap(true);
    m_replies->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics = new QTableWidget(0, 6, this);
    m_metrics->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_metrics->verticalHeader()->setVisible(false);
    m_metrics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics->setMaximumHeight(140);
    buildJudgingPanel();

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_prompts);
    split->addWidget(m_replies);
    split->addWidget(m_judging);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);
    layout->addWidget(m_metrics);
    retranslate();

    connect(m_load, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Prompt set"));
        if (!file.isEmpty())
            loadPromptFile(file);
    });
    connect(m_run, &QPushButton::clicked, this, &ModelComparison::compare);
    connect(m_stop, &QPushButton::clicked, this, &ModelComparison::stopRequested);
    connect(m_export, &QPushButton::clicked, this, &ModelComparison::chooseExportFile);
}

void ModelComparison::buildJudgingPanel()
{
    m_judging = new QWidget(this);
    // The panel takes the keys: a focused button would move focus on the arrows instead, and a
    // text browser would scroll.
    m_judging->setFocusPolicy(Qt::StrongFocus);
    m_judging->installEventFilter(this);
    const auto browser = [this] {
        auto *b = new QTextBrowser(m_judging);
        b->setFocusPolicy(Qt::NoFocus);
        return b;
    };
    m_context = browser();
    m_context->setMaximumHeight(110);
    m_replyA = browser();
    m_replyB = browser();
    m_reveal = browser();
    m_reveal->setVisible(false);
    m_titleA = new QLabel(m_judging);
    m_titleB = new QLabel(m_judging);
    m_judgeProgress = new QLabel(m_judging);
    auto *sides = new QGridLayout;
    sides->addWidget(m_titleA, 0, 0);
    sides->addWidget(m_titleB, 0, 1);
    sides->addWidget(m_replyA, 1, 0);
    sides->addWidget(m_replyB, 1, 1);
    auto *voteButtons = new QHBoxLayout;
    const auto button = [this, voteButtons](QPushButton *&b, auto onClick) {
        b = new QPushButton(m_judging);
        b->setFocusPolicy(Qt::NoFocus);
        voteButtons->addWidget(b);
        connect(b, &QPushButton::clicked, this, onClick);
    };
    button(m_aBetter, [this] { vote(Verdict::LeftBetter); });
    button(m_tie, [this] { vote(Verdict::Tie); });
    button(m_bothBad, [this] { vote(Verdict::BothBad); });
    button(m_bBetter, [this] { vote(Verdict::RightBetter); });
    voteButtons->addStretch(1);
    voteButtons->addWidget(m_judgeProgress);
    button(m_undo, [this] { undo(); });
    auto *panel = new QVBoxLayout(m_judging);
    panel->addWidget(m_context);
    panel->addLayout(sides, 1);
    panel->addLayout(voteButtons);
    panel->addWidget(m_reveal, 1);
    m_judging->setVisible(false);
}

void ModelComparison::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

bool ModelComparison::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_judging && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const std::optional<Verdict> verdict = key->key() == Qt::Key_Left ? Verdict::LeftBetter
            : key->key() == Qt::Key_Right                                 ? Verdict::RightBetter
            : key->key() == Qt::Key_Down                                  ? Verdict::Tie
            : key->key() == Qt::Key_Up                                    ? Verdict::BothBad
                                       : std::optional<Verdict>();
        if (verdict) {
            vote(*verdict);
            return true;
        }
        if (key->key() == Qt::Key_Backspace) {
            undo();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ModelComparison::retranslate()
{
    m_prompts->setPlaceholderText(tr("One prompt per line (optionally: prompt<TAB>reference "
                                     "reply), or load a chitchat-format file"));
    m_load->setText(tr("Load prompts…"));
    m_run->setText(tr("Compare the Chat pane's models"));
    m_stop->setText(tr("Stop"));
    m_export->setText(tr("Export…"));
    m_blind->setText(tr("Blind A/B judging"));
    m_blind->setToolTip(tr("Chosen before Compare: the replies are judged in pairs with the "
                           "models' names, metrics and lengths hidden until the last vote"));
    m_titleA->setText(tr("<b>A</b>"));
    m_titleB->setText(tr("<b>B</b>"));
    setKeyHelp(m_judging,
        { { QStringLiteral("←"), tr("Blind A/B: A is better") },
            { QStringLiteral("→"), tr("Blind A/B: B is better") },
            { QStringLiteral("↓"), tr("Blind A/B: tie") },
            { QStringLiteral("↑"), tr("Blind A/B: both bad") },
            { tr("Backspace"), tr("Blind A/B: undo the last vote") } });
    m_aBetter->setText(tr("A is better (←)"));
    m_bBetter->setText(tr("B is better (→)"));
    m_tie->setText(tr("Tie (↓)"));
    m_bothBad->setText(tr("Both bad (↑)"));
    m_undo->setText(tr("Undo (Backspace)"));
    setHeaders();
    m_progress->setText(progressText());
    if (m_revealed)
        reveal();
    else
        showPair();
}

bool ModelComparison::loadPromptFile(const QString &file)
{
    const QString what = tr("Load prompts");
    try {
        readPromptSet(file.toStdString()); // every check the engine makes, with its message
    } catch (const std::exception &e) {
        Q_EMIT error(what, QString::fromUtf8(e.what()));
        return false;
    }
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        Q_EMIT error(what, tr("%1: cannot open: %2").arg(file, in.errorString()));
        return false;
    }
    setPromptText(QString::fromUtf8(in.readAll()));
    return true;
}

void ModelComparison::compare()
{
    try {
        Q_EMIT compareRequested(parsePromptSet(
            m_prompts->toPlainText().toStdString(), tr("the prompts").toStdString()));
    } catch (const std::exception &e) {
        Q_EMIT error(tr("Compare"), QString::fromUtf8(e.what()));
    }
}

QString ModelComparison::promptText() const
{
    return m_prompts->toPlainText();
}

void ModelComparison::setPromptText(const QString &text)
{
    m_prompts->setPlainText(text);
}

QString ModelComparison::modelLabel(int model) const
{
    return QString::fromStdString(chatbench::modelLabel(m_record.models[std::size_t(model)]));
}

void ModelComparison::setHeaders()
{
    QStringList labels { tr("Prompt"), tr("Reference") };
    for (int m = 0; m < int(m_record.models.size()); ++m) {
        labels << modelLabel(m);
        if (QTableWidgetItem *item = m_metrics->item(m, 0))
            item->setText(modelLabel(m));
    }
    m_replies->setHorizontalHeaderLabels(labels);
    m_metrics->setHorizontalHeaderLabels({ tr("Model"), tr("distinct-1"), tr("distinct-2"),
        tr("BLEU-2"), tr("BLEU-4"), tr("mean length") });
}

void ModelComparison::begin(const ChatModelSpecs &specs, const PromptSet &promptSet)
{
    m_record = {};
    for (const ChatModelSpec &s : specs)
        m_record.models.push_back(
            { s.name.toStdString(), {}, -1, describeSampling(samplingOf(s)) });
    m_record.dialogues = promptSet.dialogues;
    m_record.replies.assign(promptSet.dialogues.size(),
        std::vector<std::optional<std::string>>(std::size_t(specs.size())));
    m_record.metrics.assign(std::size_t(specs.size()), std::nullopt);
    m_record.blind = m_blind->isChecked() && specs.size() >= 2;
    if (m_blind->isChecked() && !m_record.blind)
        Q_EMIT error(tr("Blind A/B"),
            tr("Blind A/B needs two models or more in the Chat pane; this comparison shows "
               "their names."));
    m_record.judgingSeed = m_seedSet ? m_nextSeed : QRandomGenerator::global()->generate64();
    m_pairs.clear();
    m_votesFile.clear();
    m_running = true;
    m_cancelled = m_revealed = false;
    m_done = 0;
    m_total = int(promptSet.dialogues.size());
    m_elapsed.start();

    m_replies->clear();
    m_replies->setColumnCount(2 + int(specs.size()));
    m_replies->setRowCount(m_total);
    for (int i = 0; i < m_total; ++i) {
        const PromptDialogue &d = promptSet.dialogues[std::size_t(i)];
        m_replies->setItem(i, 0, new QTableWidgetItem(contextLine(d)));
        m_replies->setItem(i, 1, new QTableWidgetItem(QString::fromStdString(d.reference)));
    }
    m_metrics->setRowCount(int(specs.size()));
    for (int m = 0; m < specs.size(); ++m) {
        m_metrics->setItem(m, 0, new QTableWidgetItem);
        for (int c = 1; c < 6; ++c)
            m_metrics->setItem(m, c, new QTableWidgetItem(QStringLiteral("…")));
    }
    setHeaders();
    setNamedResultsVisible(!m_record.blind);
    m_judging->setVisible(m_record.blind);
    setVotingVisible(true);
    m_run->setEnabled(false);
    m_stop->setEnabled(true);
    m_blind->setEnabled(false); // the mode of a comparison is fixed when it starts
    m_export->setEnabled(!m_record.blind);
    m_progress->setText(progressText());
    showPair();
}

void ModelComparison::setVotingVisible(bool visible)
{
    for (QWidget *w : std::initializer_list<QWidget *> { m_context, m_replyA, m_replyB, m_titleA,
             m_titleB, m_aBetter, m_bBetter, m_tie, m_bothBad, m_undo })
        w->setVisible(visible);
    m_reveal->setVisible(!visible);
}

void ModelComparison::setNamedResultsVisible(bool visible)
{
    m_replies->setVisible(visible);
    m_metrics->setVisible(visible);
}

void ModelComparison::onModelsLoaded(const LoadedModels &models)
{
    for (int m = 0; m < models.size() && m < int(m_record.models.size()); ++m) {
        m_record.models[std::size_t(m)].checkpoint = models[m].folder.toStdString();
        m_record.models[std::size_t(m)].step = models[m].step;
    }
    setHeaders();
}

void ModelComparison::onProgress(int done, int total)
{
    if (done == 0)
        m_elapsed.start(); // the rate from here on: loading the models is no answering
    m_done = done;
    m_total = total;
    m_progress->setText(progressText());
}

QString ModelComparison::progressText() const
{
    if (m_record.models.empty())
        return {};
    if (m_running) {
        QString text = tr("%1 / %2 prompts").arg(m_done).arg(m_total);
        if (m_done > 0 && m_done < m_total) {
            const qint64 left = m_elapsed.elapsed() * (m_total - m_done) / m_done / 1000;
            text += tr(" · about %1 left").arg(minutesSeconds(left));
        }
        return text;
    }
    if (m_cancelled)
        return tr("Stopped: %1 of %2 prompts answered, their rows kept").arg(m_done).arg(m_total);
    return tr("%1 / %2 prompts in %3")
        .arg(m_done)
        .arg(m_total)
        .arg(minutesSeconds(m_elapsed.elapsed() / 1000));
}

void ModelComparison::onReply(int prompt, int model, const QString &reply)
{
    if (prompt < 0 || model < 0 || prompt >= int(m_record.replies.size())
        || model >= int(m_record.models.size()))
        return;
    m_record.replies[std::size_t(prompt)][std::size_t(model)] = reply.toStdString();
    m_replies->setItem(prompt, 2 + model, new QTableWidgetItem(reply));
}

void ModelComparison::onMetrics(int model, const TextMetrics &metrics)
{
    if (model < 0 || model >= int(m_record.models.size()))
        return;
    m_record.metrics[std::size_t(model)] = metrics;
    const double values[] = { metrics.distinct1, metrics.distinct2, metrics.bleu2, metrics.bleu4,
        metrics.meanLength };
    for (int c = 0; c < 5; ++c) {
        auto *item = new QTableWidgetItem(
            std::isfinite(values[c]) ? QString::number(values[c], 'f', c == 4 ? 1 : 4) : "-");
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_metrics->setItem(model, c + 1, item);
    }
}

void ModelComparison::onFinished(bool cancelled)
{
    m_running = false;
    m_cancelled = cancelled;
    m_run->setEnabled(true);
    m_stop->setEnabled(false);
    m_blind->setEnabled(true);
    m_replies->resizeRowsToContents();
    m_progress->setText(progressText());
    if (m_record.blind)
        startJudging();
}

void ModelComparison::startJudging()
{
    // Every pair of models on every prompt that all of them answered, the pairs of a prompt in
    // a random order and each pair's sides drawn at random: position bias cancels out, and the
    // judge cannot learn which side a model sits on.
    const quint32 seed[] = { quint32(m_record.judgingSeed), quint32(m_record.judgingSeed >> 32) };
    QRandomGenerator random(std::begin(seed), std::end(seed));
    const int models = int(m_record.models.size());
    for (std::size_t p = 0; p < m_record.replies.size(); ++p) {
        const auto &row = m_record.replies[p];
        if (!std::all_of(row.begin(), row.end(), [](const auto &r) { return r.has_value(); }))
            continue;
        std::vector<PairVote> pairs;
        for (int a = 0; a < models; ++a)
            for (int b = a + 1; b < models; ++b)
                pairs.push_back(random.bounded(2) ? PairVote { p, b, a } : PairVote { p, a, b });
        std::shuffle(pairs.begin(), pairs.end(), random);
        m_pairs.insert(m_pairs.end(), pairs.begin(), pairs.end());
    }
    if (m_pairs.empty()) {
        reveal(); // nothing to judge: nothing to hide either
        return;
    }
    showPair();
    m_judging->setFocus();
}

bool ModelComparison::judging() const
{
    return m_record.blind && !m_running && !m_revealed && m_record.votes.size() < m_pairs.size();
}

QString ModelComparison::judgingProgress() const
{
    return tr("%1 / %2").arg(m_record.votes.size()).arg(m_pairs.size());
}

void ModelComparison::showPair()
{
    const bool open = judging();
    for (QPushButton *b : { m_aBetter, m_bBetter, m_tie, m_bothBad })
        b->setEnabled(open);
    m_undo->setEnabled(open && !m_record.votes.empty());
    if (m_revealed || !m_record.blind)
        return;
    if (!open) {
        m_context->setHtml(tr("<p>Generating the replies; the judging starts when every model "
                              "has answered.</p>"));
        m_replyA->clear();
        m_replyB->clear();
        m_judgeProgress->clear();
        return;
    }
    const PairVote &pair = m_pairs[m_record.votes.size()];
    m_context->setHtml(tr("<p><b>Prompt %1</b></p>").arg(pair.prompt + 1)
        + contextHtml(m_record.dialogues[pair.prompt]));
    const auto &row = m_record.replies[pair.prompt];
    m_replyA->setPlainText(QString::fromStdString(*row[std::size_t(pair.left)]));
    m_replyB->setPlainText(QString::fromStdString(*row[std::size_t(pair.right)]));
    m_judgeProgress->setText(judgingProgress());
}

QString ModelComparison::judgingText() const
{
    return m_context->toPlainText() + '\n' + m_titleA->text() + '\n' + m_replyA->toPlainText()
        + '\n' + m_titleB->text() + '\n' + m_replyB->toPlainText() + '\n' + m_judgeProgress->text();
}

bool ModelComparison::vote(Verdict verdict)
{
    if (!judging())
        return false;
    PairVote v = m_pairs[m_record.votes.size()];
    v.verdict = verdict;
    m_record.votes.push_back(v);
    saveVotes();
    if (m_record.votes.size() == m_pairs.size())
        reveal();
    else
        showPair();
    return true;
}

void ModelComparison::saveVotes()
{
    if (m_votesFolder.isEmpty())
        return;
    if (m_votesFile.isEmpty()) {
        const QString stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
        m_votesFile = QDir(m_votesFolder).filePath("blind-" + stamp + ".json");
    }
    const QString what = tr("Save the blind votes");
    if (!QDir().mkpath(m_votesFolder)) {
        Q_EMIT error(what, tr("%1: cannot create the folder").arg(m_votesFolder));
        m_votesFolder.clear(); // one message, not one per vote
        m_votesFile.clear();
        return;
    }
    if (!write(m_votesFile, what)) {
        m_votesFolder.clear();
        m_votesFile.clear();
    }
}

bool ModelComparison::undo()
{
    if (!judging() || m_record.votes.empty())
        return false;
    m_record.votes.pop_back();
    saveVotes();
    showPair();
    return true;
}

void ModelComparison::reveal()
{
    m_revealed = true;
    setVotingVisible(false);
    m_reveal->setHtml(revealText());
    setNamedResultsVisible(true);
    m_export->setEnabled(true);
    m_judgeProgress->setText(judgingProgress());
}

QString ModelComparison::revealText() const
{
    if (!m_revealed)
        return {};
    if (m_record.votes.empty())
        return tr("<p>Nothing was judged: no prompt was answered by every model.</p>");
    const int models = int(m_record.models.size());
    const auto standings = tallyVotes(m_record.votes, models);
    const bool ratings = models > 2;
    const auto elo = ratings ? bradleyTerryElo(m_record.votes, models) : std::vector<double>();
    QString html = tr("<h3>The reveal: %n vote(s)</h3>", nullptr, int(m_record.votes.size()));
    html += QStringLiteral("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\"><tr><th>")
        + tr("Model") + "</th><th>" + tr("Wins") + "</th><th>" + tr("Losses") + "</th><th>"
        + tr("Ties") + "</th><th>" + tr("Both bad") + "</th><th>" + tr("Win rate") + "</th><th>"
        + tr("95% interval") + "</th>" + (ratings ? "<th>" + tr("Rating") + "</th>" : "") + "</tr>";
    for (int m = 0; m < models; ++m) {
        const ModelStanding &s = standings[std::size_t(m)];
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td>"
                               "<td>%6%</td><td>%7–%8%</td>")
                    .arg(modelLabel(m).toHtmlEscaped())
                    .arg(s.wins)
                    .arg(s.losses)
                    .arg(s.ties)
                    .arg(s.bothBad)
                    .arg(100 * s.winRate, 0, 'f', 1)
                    .arg(100 * s.interval.low, 0, 'f', 1)
                    .arg(100 * s.interval.high, 0, 'f', 1);
        if (ratings)
            html += QStringLiteral("<td>%1</td>").arg(elo[std::size_t(m)], 0, 'f', 0);
        html += "</tr>";
    }
    html += "</table><p>"
        + tr("Win rate: (wins + ties / 2) / votes; both bad counts as a vote that neither "
             "model won. Interval: Wilson 95%.")
        + (ratings ? ' ' + tr("Rating: Bradley–Terry on the Elo scale (mean 1000).") : QString())
        + "</p>";
    if (!m_votesFile.isEmpty())
        html += "<p>" + tr("The votes are saved in %1.").arg(m_votesFile.toHtmlEscaped()) + "</p>";
    return html;
}

QString ModelComparison::toMarkdown() const
{
    return QString::fromStdString(comparisonToMarkdown(m_record));
}

QString ModelComparison::toCsv() const
{
    return QString::fromStdString(comparisonToCsv(m_record));
}

QString ModelComparison::toJson() const
{
    return QString::fromStdString(comparisonToJson(m_record));
}

bool ModelComparison::exportTo(const QString &file)
{
    return write(file, tr("Export comparison"));
}

bool ModelComparison::write(const QString &file, const QString &what)
{
    try {
        writeComparison(file.toStdString(), m_record, comparisonFormatOf(file.toStdString()));
        return true;
    } catch (const std::exception &e) {
        Q_EMIT error(what, QString::fromUtf8(e.what()));
        return false;
    }
}

void ModelComparison::chooseExportFile()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Export comparison"), {},
        tr("Markdown (*.md);;CSV (*.csv);;JSON, with the votes (*.json)"));
    if (!file.isEmpty())
        exportTo(file);
}

} // namespace chatbench::ui
