#include "chat_pane.h"

#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <utility>

namespace chatbench::ui {

void ChatPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ChatPane::retranslate()
{
    m_addModel->setText(tr("Add model"));
    m_reload->setText(tr("Reload checkpoints"));
    m_reload->setToolTip(tr("Load the chosen checkpoints again, e.g. a training run's newest"));
    m_open->setText(tr("Open…"));
    m_save->setText(tr("Save / Export"));
    const QStringList formats { tr("Transcript (JSON)…"), tr("Markdown, report style…"),
        tr("Markdown table…"), tr("HTML…") };
    for (int i = 0; i < m_saveFormats.size(); ++i)
        m_saveFormats[i]->setText(formats[i]);
    m_input->setPlaceholderText(tr("Say something to every model and press Enter"));
    m_send->setText(tr("Send"));
    m_stop->setText(tr("Stop"));
    m_regenerate->setText(tr("Regenerate"));
    m_clear->setText(tr("Clear"));
    m_editLast->setText(tr("Edit last"));
    m_editLast->setToolTip(tr("Change your last line and have every model answer it again"));
}

QString ChatPane::saveFilter(TranscriptFormat format) const
{
    switch (format) {
    case TranscriptFormat::Json:
        return tr("Transcript (*.json)");
    case TranscriptFormat::Html:
        return tr("HTML (*.html)");
    default:
        return tr("Markdown (*.md)");
    }
}

ChatPane::ChatPane(QWidget *parent) : QWidget(parent)
{
    auto *columnsHost = new QWidget(this);
    m_columnsLayout = new QHBoxLayout(columnsHost);
    m_columnsLayout->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(columnsHost);

    auto *addModel = m_addModel = new QPushButton(this);
    auto *reloadButton = m_reload = new QPushButton(this);
    auto *open = m_open = new QPushButton(this);
    auto *save = m_save = new QToolButton(this);
    save->setPopupMode(QToolButton::InstantPopup);
    auto *saveMenu = new QMenu(save);
    for (const TranscriptFormat format : { TranscriptFormat::Json, TranscriptFormat::Markdown,
             TranscriptFormat::Table, TranscriptFormat::Html })
        m_saveFormats << saveMenu->addAction(QString(), this, [this, format] {
            const QString file
                = QFileDialog::getSaveFileName(this, tr("Save chat"), {}, saveFilter(format));
            if (!file.isEmpty())
                Q_EMIT saveRequested(file, format);
        });
    save->setMenu(saveMenu);
    auto *top = new QHBoxLayout;
    top->addWidget(addModel);
    top->addWidget(reloadButton);
    top->addStretch(1);
    top->addWidget(open);
    top->addWidget(save);

    m_input = new QLineEdit(this);
    m_send = new QPushButton(this);
    m_stop = new QPushButton(this);
    m_regenerate = new QPushButton(this);
    auto *clear = m_clear = new QPushButton(this);
    auto *editLast = m_editLast = new QPushButton(this);
    retranslate();
    m_stop->setEnabled(false);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_input, 1);
    bottom->addWidget(m_send);
    bottom->addWidget(m_stop);
    bottom->addWidget(m_regenerate);
    bottom->addWidget(editLast);
    bottom->addWidget(clear);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);
    layout->addLayout(bottom);

    m_renderTimer = new QTimer(this);
    m_renderTimer->setSingleShot(true);
    m_renderTimer->setInterval(33);
    connect(m_renderTimer, &QTimer::timeout, this, [this] {
        for (int m : std::as_const(m_stale))
            render(m);
        m_stale.clear();
    });

    connect(addModel, &QPushButton::clicked, this, [this] { addColumn(); });
    connect(reloadButton, &QPushButton::clicked, this, &ChatPane::reload);
    connect(open, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Open transcript"), {}, tr("Transcript (*.json)"));
        if (!file.isEmpty())
            openTranscript(file);
    });
    connect(m_input, &QLineEdit::returnPressed, this, &ChatPane::send);
    connect(m_send, &QPushButton::clicked, this, &ChatPane::send);
    connect(m_stop, &QPushButton::clicked, this, &ChatPane::stopRequested);
    connect(m_regenerate, &QPushButton::clicked, this, [this] {
        if (m_dirty)
            reload();
        setBusy(true);
        Q_EMIT regenerateRequested();
    });
    connect(clear, &QPushButton::clicked, this, &ChatPane::clearRequested);
    connect(editLast, &QPushButton::clicked, this, &ChatPane::editLastTurn);
    addColumn();
}

void ChatPane::addSource(const QString &label, const QString &folder)
{
    m_sources.append({ label, folder });
    for (ChatColumn *c : m_columns)
        c->addSource(label, folder);
}

ChatColumn *ChatPane::addColumn(const ChatModelSpec *spec)
{
    auto *column = new ChatColumn(this);
    for (const auto &[label, folder] : m_sources)
        column->addSource(label, folder);
    if (spec)
        column->setSpec(*spec);
    column->setMinimumWidth(320);
    m_columnsLayout->addWidget(column, 1);
    m_columns.append(column);
    m_lines.append(QVector<ChatLine>());
    connect(column, &ChatColumn::changed, this, [this] { m_dirty = true; });
    connect(column, &ChatColumn::hubModelRequested, this,
        [this, column] { Q_EMIT hubModelRequested(column); });
    connect(column, &ChatColumn::removeRequested, this, [this, column] { removeColumn(column); });
    m_dirty = true;
    return column;
}

void ChatPane::removeColumn(ChatColumn *column)
{
    const int i = int(m_columns.indexOf(column));
    if (i < 0 || m_columns.size() == 1)
        return; // keep one column to type into
    m_columns.removeAt(i);
    m_lines.removeAt(i);
    column->deleteLater();
    m_dirty = true;
}

void ChatPane::chatWithRuns(const QVector<QPair<QString, QString>> &runs)
{
    if (runs.isEmpty())
        return;
    ChatModelSpec spec = m_columns.first()->spec();
    spec.checkpoint = CheckpointChoice { CheckpointChoice::Kind::Current };
    for (int i = 0; i < runs.size(); ++i) {
        spec.name = runs[i].first;
        spec.source = runs[i].second;
        if (i < m_columns.size())
            m_columns[i]->setSpec(spec);
        else
            addColumn(&spec);
    }
    while (m_columns.size() > runs.size())
        removeColumn(m_columns.last());
}

ChatModelSpecs ChatPane::specs() const
{
    ChatModelSpecs out;
    for (ChatColumn *c : m_columns)
        out.append(c->spec());
    return out;
}

void ChatPane::reload()
{
    m_dirty = false;
    Q_EMIT loadRequested(specs());
}

void ChatPane::openTranscript(const QString &file)
{
    Q_EMIT openRequested(file);
}

void ChatPane::send()
{
    const QString text = m_input->text().trimmed();
    if (text.isEmpty() || m_busy)
        return;
    if (m_dirty)
        reload(); // queued before the send, so the engine loads first
    m_input->clear();
    setBusy(true);
    if (m_editing >= 0)
        Q_EMIT editRequested(std::exchange(m_editing, -1), text);
    else
        Q_EMIT sendRequested(text);
}

void ChatPane::editLastTurn()
{
    if (m_busy || m_lines.isEmpty() || m_lines[0].isEmpty())
        return;
    m_editing = int(m_lines[0].size()) - 1;
    m_input->setText(m_lines[0].last().user);
    m_input->setFocus();
    m_input->selectAll();
}

void ChatPane::setBusy(bool busy)
{
    m_busy = busy;
    m_send->setEnabled(!busy);
    m_regenerate->setEnabled(!busy);
    m_stop->setEnabled(busy);
}

void ChatPane::onModelsLoaded(const LoadedModels &models)
{
    // A transcript opened from disk may bring other models than the columns show.
    while (m_columns.size() < models.size())
        addColumn();
    for (int i = 0; i < m_columns.size(); ++i)
        m_columns[i]->setLoaded(i < models.size() ? models[i] : LoadedModel {});
    m_dirty = m_columns.size() != models.size();
}

void ChatPane::onTurnStarted(int turn, const QString &user)
{
    for (auto &lines : m_lines) {
        lines.resize(turn + 1);
        lines[turn] = { user, QString(), true };
    }
    render();
}

void ChatPane::onToken(int turn, int model, const QString &textSoFar)
{
    if (model >= m_lines.size() || turn >= m_lines[model].size())
        return;
    m_lines[model][turn].reply = textSoFar;
    // A fast model streams hundreds of tokens a second; redrawing a column for each would make
    // the GUI thread the bottleneck.
    m_stale.insert(model);
    if (!m_renderTimer->isActive())
        m_renderTimer->start();
}

void ChatPane::onTurnFinished(int turn, const QStringList &replies)
{
    for (int m = 0; m < m_lines.size(); ++m) {
        if (turn >= m_lines[m].size())
            continue;
        m_lines[m][turn].streaming = false;
        if (m < replies.size())
            m_lines[m][turn].reply = replies[m];
    }
    render();
    setBusy(false);
    Q_EMIT turnFinished(turn);
}

void ChatPane::onCleared()
{
    m_editing = -1;
    for (auto &lines : m_lines)
        lines.clear();
    render();
}

void ChatPane::onError()
{
    for (auto &lines : m_lines)
        for (ChatLine &l : lines)
            l.streaming = false;
    m_dirty = true; // whatever failed, try loading again next time
    render();
    setBusy(false);
}

void ChatPane::render(int model)
{
    if (model < 0) {
        m_stale.clear();
        m_renderTimer->stop();
    }
    for (int m = 0; m < m_columns.size(); ++m)
        if (model < 0 || m == model)
            m_columns[m]->showConversation(m < m_lines.size() ? m_lines[m] : QVector<ChatLine>());
}

} // namespace chatbench::ui
