#include "chat_pane.h"

#include "conversation_grid.h"
#include "sampling_fields.h"

#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
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
    m_addModel->setToolTip(tr("A column for each run selected in the run list"));
    m_reload->setText(tr("Reload checkpoints"));
    m_reload->setToolTip(tr("Load the chosen checkpoints again, e.g. a training run's newest"));
    m_open->setText(tr("Open…"));
    m_save->setText(tr("Save / Export"));
    const QStringList formats { tr("Transcript (JSON)…"), tr("Markdown, report style…"),
        tr("Markdown table…"), tr("HTML…") };
    for (int i = 0; i < m_saveFormats.size(); ++i)
        m_saveFormats[i]->setText(formats[i]);
    m_sharedTitle->setText(tr("Every column:"));
    m_sharedTitle->setToolTip(
        tr("Sampling settings shared by the columns; a column's ⚙ sets its own"));
    m_input->setPlaceholderText(tr("Say something to every model and press Enter"));
    m_send->setText(tr("Send"));
    m_send->setToolTip(tr("Enter"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Esc"));
    m_regenerate->setText(tr("Regenerate"));
    m_regenerate->setToolTip(tr("Ctrl+R: new replies to the last line, the old ones kept"));
    m_clear->setText(tr("Clear"));
    m_editLast->setText(tr("Edit last"));
    m_editLast->setToolTip(
        tr("Ctrl+E: change your last line and have every model answer it again"));
    for (const auto &[shortcut, what] : std::as_const(m_shortcuts))
        shortcut->setWhatsThis(tr("Chat: %1").arg(tr(what)));
    if (m_editing >= 0)
        m_editingNote->setText(
            tr("Editing line %1: Enter answers it again, Esc cancels").arg(m_editing + 1));
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
    // The conversation's scroll bar is always there: leave its width so columns and cells
    // line up.
    m_columnsLayout->setContentsMargins(
        0, 0, style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 2, 0);
    m_grid = new ConversationGrid(this);

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
    m_sharedTitle = new QLabel(this);
    m_shared = new SamplingFields(this);
    m_shared->writeTo(m_sharedSpec);
    auto *top = new QHBoxLayout;
    top->addWidget(addModel);
    top->addWidget(reloadButton);
    top->addStretch(1);
    top->addWidget(open);
    top->addWidget(save);
    auto *shared = new QHBoxLayout;
    shared->addWidget(m_sharedTitle);
    shared->addWidget(m_shared, 1);

    m_input = new QLineEdit(this);
    m_editingNote = new QLabel(this);
    m_editingNote->hide();
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
    layout->addLayout(shared);
    layout->addWidget(columnsHost);
    layout->addWidget(m_grid, 1);
    layout->addWidget(m_editingNote);
    layout->addLayout(bottom);

    m_loadTimer = new QTimer(this);
    m_loadTimer->setSingleShot(true);
    m_loadTimer->setInterval(0);
    connect(m_loadTimer, &QTimer::timeout, this, [this] {
        // A column still without a model has nothing to load yet; Send says so if it stays.
        const bool chosen = std::all_of(m_columns.begin(), m_columns.end(),
            [](const ChatColumn *c) { return !c->spec().source.isEmpty(); });
        if (!m_busy && chosen)
            reload();
    });

    connect(m_shared, &SamplingFields::changed, this, [this] {
        const ChatModelSpec before = m_sharedSpec;
        m_shared->writeTo(m_sharedSpec);
        for (ChatColumn *c : std::as_const(m_columns))
            c->setShared(before, m_sharedSpec);
        m_dirty = true;
    });
    // Keys that work anywhere in the pane; whatsThis names them in Help → Keyboard Shortcuts.
    const auto key = [this](const QKeySequence &keys, const char *what, auto slot) {
        auto *s = new QShortcut(keys, this, this, slot, Qt::WidgetWithChildrenShortcut);
        m_shortcuts.append({ s, what });
    };
    key(QKeySequence(Qt::CTRL | Qt::Key_Return), QT_TR_NOOP("Send (Enter in the input line)"),
        &ChatPane::send);
    key(QKeySequence(Qt::Key_Escape), QT_TR_NOOP("Stop the replies; cancel an edit"),
        &ChatPane::stop);
    key(QKeySequence(Qt::CTRL | Qt::Key_R), QT_TR_NOOP("Regenerate the last replies"),
        &ChatPane::regenerate);
    key(QKeySequence(Qt::CTRL | Qt::Key_E), QT_TR_NOOP("Edit your last line"),
        &ChatPane::editLastTurn);
    key(QKeySequence(Qt::ALT | Qt::Key_Right), QT_TR_NOOP("Next column"),
        [this] { focusColumn(+1); });
    key(QKeySequence(Qt::ALT | Qt::Key_Left), QT_TR_NOOP("Previous column"),
        [this] { focusColumn(-1); });
    retranslate();

    connect(addModel, &QPushButton::clicked, this, &ChatPane::addModelRequested);
    connect(reloadButton, &QPushButton::clicked, this, &ChatPane::reload);
    connect(open, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            this, tr("Open transcript"), {}, tr("Transcript (*.json)"));
        if (!file.isEmpty())
            openTranscript(file);
    });
    connect(m_input, &QLineEdit::returnPressed, this, &ChatPane::send);
    connect(m_send, &QPushButton::clicked, this, &ChatPane::send);
    connect(m_stop, &QPushButton::clicked, this, &ChatPane::stop);
    connect(m_regenerate, &QPushButton::clicked, this, &ChatPane::regenerate);
    connect(clear, &QPushButton::clicked, this, [this] {
        stopEditing();
        Q_EMIT clearRequested();
    });
    connect(editLast, &QPushButton::clicked, this, &ChatPane::editLastTurn);
    connect(m_grid, &ConversationGrid::editRequested, this, &ChatPane::editTurn);
    connect(m_grid, &ConversationGrid::versionRequested, this, &ChatPane::versionRequested);
    addColumn();
}

void ChatPane::addSource(const QString &label, const QString &folder)
{
    m_sources.append({ label, folder });
    for (ChatColumn *c : std::as_const(m_columns))
        c->addSource(label, folder);
}

ChatColumn *ChatPane::addColumn(const ChatModelSpec *spec)
{
    auto *column = new ChatColumn(this);
    for (const auto &[label, folder] : std::as_const(m_sources))
        column->addSource(label, folder);
    ChatModelSpec initial = spec ? *spec : m_sharedSpec;
    if (!spec) {
        initial.source.clear();
        initial.name.clear();
    }
    column->setShared(m_sharedSpec, m_sharedSpec);
    if (spec || !initial.source.isEmpty())
        column->setSpec(initial);
    else {
        ChatModelSpec settings = m_sharedSpec;
        settings.source = column->spec().source; // the first offered, if any
        column->setSpec(settings);
    }
    column->setMinimumWidth(240);
    m_columnsLayout->addWidget(column, 1);
    m_columns.append(column);
    m_loadedIndex.insert(column, -1);
    m_grid->setColumnCount(int(m_columns.size()));
    connect(column, &ChatColumn::changed, this, [this] { m_dirty = true; });
    connect(column, &ChatColumn::modelChanged, this, &ChatPane::requestLoad);
    connect(column, &ChatColumn::hubModelRequested, this,
        [this, column] { Q_EMIT hubModelRequested(column); });
    connect(column, &ChatColumn::removeRequested, this, [this, column] { removeColumn(column); });
    requestLoad();
    return column;
}

void ChatPane::removeColumn(ChatColumn *column)
{
    const int i = int(m_columns.indexOf(column));
    if (i < 0 || m_columns.size() == 1 || m_busy)
        return; // keep one column to type into; a reply streaming into it finishes first
    m_columns.removeAt(i);
    m_loadedIndex.remove(column);
    m_loadedSpec.remove(column);
    column->deleteLater();
    // The conversation follows at once: the column's replies go with it.
    ChatTurns turns = m_grid->turns();
    for (ChatTurn &t : turns) {
        if (std::size_t(i) < t.replies.size())
            t.replies.erase(t.replies.begin() + i);
        if (std::size_t(i) < t.versions.size())
            t.versions.erase(t.versions.begin() + i);
        if (std::size_t(i) < t.shown.size())
            t.shown.erase(t.shown.begin() + i);
    }
    m_grid->setColumnCount(int(m_columns.size()));
    m_grid->setTurns(turns);
    requestLoad();
}

ChatModelSpec ChatPane::runSpec(const QPair<QString, QString> &run) const
{
    ChatModelSpec spec = m_sharedSpec;
    spec.checkpoint = CheckpointChoice { CheckpointChoice::Kind::Current };
    spec.name = run.first;
    spec.source = run.second;
    return spec;
}

void ChatPane::addRuns(const QVector<QPair<QString, QString>> &runs)
{
    for (const auto &run : runs) {
        const ChatModelSpec spec = runSpec(run);
        // The first column, still without a model, takes the first run.
        ChatColumn *only = m_columns.size() == 1 && m_loadedIndex.value(m_columns[0]) < 0
                && m_grid->turns().empty()
            ? m_columns[0]
            : nullptr;
        if (only && !QFileInfo::exists(only->spec().source))
            only->setSpec(spec);
        else
            addColumn(&spec);
    }
}

void ChatPane::chatWithRuns(const QVector<QPair<QString, QString>> &runs)
{
    if (runs.isEmpty())
        return;
    for (int i = 0; i < runs.size(); ++i) {
        const ChatModelSpec spec = runSpec(runs[i]);
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

QString ChatPane::conversationText(int column) const
{
    return m_grid->columnText(column);
}

void ChatPane::requestLoad()
{
    m_dirty = true;
    m_loadTimer->start();
}

void ChatPane::reload()
{
    m_dirty = false;
    m_loadTimer->stop();
    m_inFlight.append(m_columns);
    QVector<int> keep;
    for (ChatColumn *c : std::as_const(m_columns))
        keep << m_loadedIndex.value(c, -1);
    Q_EMIT loadRequested(specs(), keep);
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
    const int editing = m_editing;
    stopEditing();
    if (editing >= 0)
        Q_EMIT editRequested(editing, text);
    else
        Q_EMIT sendRequested(text);
}

void ChatPane::stop()
{
    if (m_busy)
        Q_EMIT stopRequested();
    else if (m_editing >= 0) {
        stopEditing();
        m_input->clear();
    }
}

void ChatPane::regenerate()
{
    if (m_busy || m_grid->turns().empty())
        return;
    if (m_dirty)
        reload();
    setBusy(true);
    Q_EMIT regenerateRequested();
}

void ChatPane::editLastTurn()
{
    editTurn(int(m_grid->turns().size()) - 1);
}

void ChatPane::editTurn(int turn)
{
    if (m_busy || turn < 0 || turn >= int(m_grid->turns().size()))
        return;
    m_editing = turn;
    m_input->setText(QString::fromStdString(m_grid->turns()[std::size_t(turn)].user));
    m_input->setFocus();
    m_input->selectAll();
    m_editingNote->show();
    retranslate();
}

void ChatPane::stopEditing()
{
    m_editing = -1;
    m_editingNote->hide();
}

void ChatPane::focusColumn(int step)
{
    if (m_columns.isEmpty())
        return;
    int current = -1;
    for (int i = 0; i < m_columns.size(); ++i)
        if (m_columns[i]->isAncestorOf(focusWidget()))
            current = i;
    const int n = int(m_columns.size());
    const int next = current < 0 ? (step > 0 ? 0 : n - 1) : ((current + step) % n + n) % n;
    m_columns[next]->focusModel();
}

void ChatPane::setBusy(bool busy)
{
    m_busy = busy;
    m_send->setEnabled(!busy);
    m_regenerate->setEnabled(!busy);
    m_editLast->setEnabled(!busy);
    m_stop->setEnabled(busy);
}

void ChatPane::onOpened(const ChatModelSpecs &specs)
{
    // The columns become the transcript's models, loaded already: nothing to load again.
    while (m_columns.size() > specs.size())
        removeColumn(m_columns.last());
    while (m_columns.size() < specs.size())
        addColumn();
    for (int i = 0; i < specs.size(); ++i) {
        const QSignalBlocker quiet(m_columns[i]);
        m_columns[i]->setSpec(specs[i]);
    }
    m_loadTimer->stop();
    m_inFlight.clear();
}

void ChatPane::onModelsLoaded(const LoadedModels &models)
{
    // A transcript opened from disk may bring other models than the columns show.
    while (m_columns.size() < models.size())
        addColumn();
    m_loadTimer->stop();
    for (int i = 0; i < m_columns.size(); ++i) {
        ChatColumn *c = m_columns[i];
        const bool loaded = i < models.size();
        c->setLoaded(loaded ? models[i] : LoadedModel {});
        m_loadedIndex[c] = loaded ? i : -1;
        if (loaded)
            m_loadedSpec[c] = c->spec();
    }
    const QVector<ChatColumn *> requested
        = m_inFlight.isEmpty() ? m_columns : m_inFlight.takeFirst();
    m_dirty = m_columns.size() != models.size() || requested != m_columns;
}

void ChatPane::onModelsRefused(const QVector<int> &columns, const QStringList &reasons)
{
    const QVector<ChatColumn *> requested
        = m_inFlight.isEmpty() ? m_columns : m_inFlight.takeFirst();
    QVector<ChatColumn *> dropped;
    for (int k = 0; k < columns.size(); ++k) {
        if (columns[k] >= requested.size() || !m_columns.contains(requested[columns[k]]))
            continue;
        ChatColumn *c = requested[columns[k]];
        const QString reason = k < reasons.size() ? reasons[k] : QString();
        if (m_loadedSpec.contains(c)) {
            // Back to the model it had; the reason stays in sight under it.
            const QSignalBlocker quiet(c);
            c->setSpec(m_loadedSpec.value(c));
            c->setRefused(reason);
        } else if (m_columns.size() > 1) {
            dropped << c; // a new column never had a model to go back to
        } else {
            c->setRefused(reason);
        }
    }
    for (ChatColumn *c : std::as_const(dropped))
        removeColumn(c);
    m_loadTimer->stop();
    m_dirty = true;
}

void ChatPane::onConversation(int from, const ChatTurns &turns)
{
    m_grid->setTurns(turns, from);
}

void ChatPane::onReplying(int turn, const QString &user, const QVector<int> &models)
{
    setBusy(true);
    m_grid->beginReplies(turn, user, models);
}

void ChatPane::onToken(int turn, int model, const QString &textSoFar)
{
    m_grid->setStreamedText(turn, model, textSoFar);
}

void ChatPane::onGenerated(int turn)
{
    m_grid->endStreaming();
    setBusy(false);
    if (m_dirty)
        m_loadTimer->start(); // a model chosen while the others answered
    Q_EMIT turnFinished(turn);
}

void ChatPane::onError()
{
    m_grid->endStreaming();
    m_dirty = true; // whatever failed, try loading again next time
    setBusy(false);
}

} // namespace chatbench::ui
