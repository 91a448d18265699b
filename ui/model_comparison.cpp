#include "model_comparison.h"

#include "chatbench/prompt_set.h"

#include <QCheckBox>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTextStream>
#include <QVBoxLayout>
#include <cmath>

namespace chatbench::ui {

ModelComparison::ModelComparison(QWidget *parent) : QWidget(parent)
{
    m_prompts = new QPlainTextEdit(this);
    auto *load = m_load = new QPushButton(this);
    m_run = new QPushButton(this);
    m_stop = new QPushButton(this);
    m_stop->setEnabled(false);
    auto *exportButton = m_export = new QPushButton(this);
    m_blind = new QCheckBox(this);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(load);
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_blind);
    buttons->addStretch(1);
    buttons->addWidget(exportButton);

    m_replies = new QTableWidget(0, 2, this);
    m_replies->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_replies->setWordWrap(true);
    m_replies->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics = new QTableWidget(0, 6, this);
    m_metrics->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_metrics->verticalHeader()->setVisible(false);
    m_metrics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics->setMaximumHeight(140);

    m_abPanel = new QWidget(this);
    m_pair = new QTextBrowser(m_abPanel);
    auto *left = m_aBetter = new QPushButton(m_abPanel);
    auto *right = m_bBetter = new QPushButton(m_abPanel);
    auto *tie = m_tie = new QPushButton(m_abPanel);
    m_tally = new QLabel(m_abPanel);
    auto *abButtons = new QHBoxLayout;
    for (QPushButton *b : { left, right, tie })
        abButtons->addWidget(b);
    abButtons->addWidget(m_tally, 1);
    auto *abLayout = new QVBoxLayout(m_abPanel);
    abLayout->addWidget(m_pair, 1);
    abLayout->addLayout(abButtons);
    m_abPanel->setVisible(false);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_prompts);
    split->addWidget(m_replies);
    split->addWidget(m_abPanel);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);
    layout->addWidget(m_metrics);
    retranslate();

    connect(load, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Prompt set"));
        if (!file.isEmpty())
            loadPromptFile(file);
    });
    connect(m_run, &QPushButton::clicked, this, &ModelComparison::compare);
    connect(m_stop, &QPushButton::clicked, this, &ModelComparison::stopRequested);
    connect(exportButton, &QPushButton::clicked, this, &ModelComparison::exportTo);
    connect(m_blind, &QCheckBox::toggled, this, [this](bool on) {
        m_abPanel->setVisible(on);
        m_replies->setVisible(!on); // names beside replies would unblind the vote
        showPair();
    });
    connect(left, &QPushButton::clicked, this, [this] { vote(0); });
    connect(right, &QPushButton::clicked, this, [this] { vote(1); });
    connect(tie, &QPushButton::clicked, this, [this] { vote(2); });
}

void ModelComparison::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ModelComparison::retranslate()
{
    m_prompts->setPlaceholderText(tr("One prompt per line (optionally: prompt<TAB>reference "
                                     "reply), or load a chitchat-format file"));
    m_load->setText(tr("Load prompts…"));
    m_run->setText(tr("Compare the Chat pane's models"));
    m_stop->setText(tr("Stop"));
    m_export->setText(tr("Export…"));
    m_blind->setText(tr("Blind A/B (first two models)"));
    m_replies->setHorizontalHeaderLabels(QStringList { tr("Prompt"), tr("Reference") } + m_names);
    m_metrics->setHorizontalHeaderLabels({ tr("Model"), tr("distinct-1"), tr("distinct-2"),
        tr("BLEU-2"), tr("BLEU-4"), tr("mean length") });
    m_aBetter->setText(tr("A is better"));
    m_bBetter->setText(tr("B is better"));
    m_tie->setText(tr("Tie"));
    showPair(); // its headings and the tally
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

void ModelComparison::begin(const ChatModelSpecs &specs, const PromptSet &promptSet)
{
    m_names.clear();
    for (const ChatModelSpec &s : specs)
        m_names << s.name;
    QStringList prompts, references;
    for (const PromptDialogue &d : promptSet.dialogues) {
        QStringList context;
        for (const std::string &u : d.context)
            context << QString::fromStdString(u);
        prompts << context.join(QStringLiteral(" / ")); // shown, not parsed again
        references << QString::fromStdString(d.reference);
    }
    m_promptList = prompts;
    m_answers = QVector<QStringList>(prompts.size(), QStringList());
    for (QStringList &a : m_answers)
        for (int m = 0; m < specs.size(); ++m)
            a << QString();
    m_swapped.clear();
    for (int i = 0; i < prompts.size(); ++i)
        m_swapped << (QRandomGenerator::global()->bounded(2) == 1);
    m_current = 0;
    m_wins = QVector<int>(2, 0);
    m_ties = 0;

    m_replies->clear();
    m_replies->setColumnCount(2 + int(specs.size()));
    m_replies->setRowCount(int(prompts.size()));
    m_replies->setHorizontalHeaderLabels(QStringList { tr("Prompt"), tr("Reference") } + m_names);
    for (int i = 0; i < prompts.size(); ++i) {
        m_replies->setItem(i, 0, new QTableWidgetItem(prompts[i]));
        m_replies->setItem(i, 1, new QTableWidgetItem(references.value(i)));
    }
    m_metrics->setRowCount(int(specs.size()));
    for (int m = 0; m < specs.size(); ++m) {
        m_metrics->setItem(m, 0, new QTableWidgetItem(m_names[m]));
        for (int c = 1; c < 6; ++c)
            m_metrics->setItem(m, c, new QTableWidgetItem(QStringLiteral("…")));
    }
    m_run->setEnabled(false);
    m_stop->setEnabled(true);
    showPair();
}

void ModelComparison::onReply(int prompt, int model, const QString &reply)
{
    if (prompt >= m_answers.size() || model >= m_names.size())
        return;
    m_answers[prompt][model] = reply;
    m_replies->setItem(prompt, 2 + model, new QTableWidgetItem(reply));
    if (prompt == m_current)
        showPair();
}

void ModelComparison::onMetrics(int model, const TextMetrics &metrics)
{
    const double values[] = { metrics.distinct1, metrics.distinct2, metrics.bleu2, metrics.bleu4,
        metrics.meanLength };
    for (int c = 0; c < 5; ++c) {
        auto *item = new QTableWidgetItem(
            std::isfinite(values[c]) ? QString::number(values[c], 'f', c == 4 ? 1 : 4) : "-");
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_metrics->setItem(model, c + 1, item);
    }
}

void ModelComparison::onFinished()
{
    m_run->setEnabled(true);
    m_stop->setEnabled(false);
    m_replies->resizeRowsToContents();
}

void ModelComparison::showPair()
{
    if (!m_blind->isChecked())
        return;
    if (m_names.size() < 2 || m_current >= m_answers.size()) {
        m_pair->setHtml(m_names.size() < 2 && !m_answers.isEmpty()
                ? tr("<p>Blind A/B needs two models in the Chat pane.</p>")
                : tr("<p>No pair to judge. Run a comparison first.</p>"));
        m_tally->setText(tally());
        return;
    }
    const QStringList &a = m_answers[m_current];
    const bool swap = m_swapped[m_current];
    m_pair->setHtml(tr("<p><b>Prompt %1 of %2:</b> %3</p><p><b>A:</b> %4</p><p><b>B:</b> %5</p>")
                        .arg(m_current + 1)
                        .arg(m_answers.size())
                        .arg(m_promptList[m_current].toHtmlEscaped(),
                            a[swap ? 1 : 0].toHtmlEscaped(), a[swap ? 0 : 1].toHtmlEscaped()));
    m_tally->setText(tally());
}

void ModelComparison::vote(int choice)
{
    if (m_names.size() < 2 || m_current >= m_answers.size())
        return;
    if (choice == 2)
        ++m_ties;
    else
        ++m_wins[(choice == 1) != m_swapped[m_current] ? 1 : 0];
    ++m_current;
    showPair();
}

QString ModelComparison::tally() const
{
    if (m_names.size() < 2)
        return {};
    return tr("%1: %2 · %3: %4 · ties: %5 (%6 of %7 judged)")
        .arg(m_names[0])
        .arg(m_wins.value(0))
        .arg(m_names[1])
        .arg(m_wins.value(1))
        .arg(m_ties)
        .arg(m_current)
        .arg(m_answers.size());
}

QString ModelComparison::toMarkdown() const
{
    const auto cell = [](QString s) { return s.replace('|', "\\|").replace('\n', ' '); };
    QString md = "| # | prompt |";
    for (const QString &n : m_names)
        md += " " + cell(n) + " |";
    md += "\n|---|---|" + QString("---|").repeated(int(m_names.size())) + "\n";
    for (int i = 0; i < m_answers.size(); ++i) {
        md += QStringLiteral("| %1 | %2 |").arg(i + 1).arg(cell(m_promptList[i]));
        for (const QString &a : m_answers[i])
            md += " " + cell(a) + " |";
        md += "\n";
    }
    md += "\n| model | distinct-1 | distinct-2 | BLEU-2 | BLEU-4 | mean length |\n"
          "|---|---|---|---|---|---|\n";
    for (int m = 0; m < m_metrics->rowCount(); ++m) {
        md += "|";
        for (int c = 0; c < 6; ++c)
            md += " " + (m_metrics->item(m, c) ? cell(m_metrics->item(m, c)->text()) : "") + " |";
        md += "\n";
    }
    if (m_current > 0)
        md += "\nBlind A/B: " + tally() + "\n";
    return md;
}

QString ModelComparison::toCsv() const
{
    const auto quote = [](QString s) { return '"' + s.replace('"', "\"\"") + '"'; };
    QString csv = "prompt";
    for (const QString &n : m_names)
        csv += "," + quote(n);
    csv += "\n";
    for (int i = 0; i < m_answers.size(); ++i) {
        csv += quote(m_promptList[i]);
        for (const QString &a : m_answers[i])
            csv += "," + quote(a);
        csv += "\n";
    }
    return csv;
}

void ModelComparison::exportTo()
{
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export comparison"), {}, tr("Markdown (*.md);;CSV (*.csv)"));
    if (file.isEmpty())
        return;
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return;
    out.write((file.endsWith(".csv", Qt::CaseInsensitive) ? toCsv() : toMarkdown()).toUtf8());
}

} // namespace chatbench::ui
