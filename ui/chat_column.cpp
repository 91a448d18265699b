#include "chat_column.h"

#include "chatbench/hub.h"
#include "sampling_fields.h"

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace chatbench::ui {

namespace {
// The two pickers at the end of the model list; their data is no folder.
const char *const kOtherFolder = "__other__";
const char *const kHubModel = "__hub__";
constexpr int kPickers = 2;

bool isPicker(const QString &data)
{
    return data == QLatin1String(kOtherFolder) || data == QLatin1String(kHubModel);
}

// A repo id as typed ("org/name@rev") when it names no folder here; else the folder's name.
QString sourceLabel(const QString &source)
{
    if (!QFileInfo::exists(source) && RepoId::parse(source.toStdString()))
        return source;
    return QFileInfo(source).fileName();
}
} // namespace

ChatColumn::ChatColumn(QWidget *parent) : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    m_name = new QLineEdit(this);
    auto *remove = m_remove = new QToolButton(this);
    remove->setText(QStringLiteral("✕"));
    m_source = new QComboBox(this);
    m_source->addItem(QString(), QString::fromLatin1(kOtherFolder));
    m_source->addItem(QString(), QString::fromLatin1(kHubModel));
    m_checkpoint = new QComboBox(this);
    m_loaded = new QLabel(this);
    m_loaded->setWordWrap(true);
    m_loaded->setStyleSheet("color: gray");
    m_refused = new QLabel(this);
    m_refused->setWordWrap(true);
    m_refused->setStyleSheet("color: #b00020");
    m_refused->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refused->hide();
    m_sampling = new SamplingFields(this);
    m_sampling->hide(); // the summary line says what they are; the button opens them
    auto *settings = m_settings = new QToolButton(this);
    settings->setCheckable(true);
    settings->setAutoRaise(true);
    settings->setText(QStringLiteral("⚙"));

    auto *title = new QHBoxLayout;
    title->addWidget(m_name, 1);
    title->addWidget(settings);
    title->addWidget(remove);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_modelTitle = new QLabel(this);
    m_checkpointTitle = new QLabel(this);
    form->addRow(m_modelTitle, m_source);
    form->addRow(m_checkpointTitle, m_checkpoint);
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(6, 4, 6, 4);
    column->addLayout(title);
    column->addLayout(form);
    column->addWidget(m_sampling);
    column->addWidget(m_loaded);
    column->addWidget(m_refused);
    retranslate();

    connect(settings, &QToolButton::toggled, m_sampling, &QWidget::setVisible);
    connect(remove, &QToolButton::clicked, this, &ChatColumn::removeRequested);
    // A model the user picks loads at once (modelChanged); one chosen for them (the first run
    // of a workspace) waits for the first message, so opening a workspace loads nothing.
    connect(m_source, qOverload<int>(&QComboBox::activated), this, [this] {
        const QString data = m_source->currentData().toString();
        if (data == QLatin1String(kOtherFolder))
            chooseFolder();
        else if (data == QLatin1String(kHubModel))
            Q_EMIT hubModelRequested();
        else
            Q_EMIT modelChanged();
    });
    connect(m_source, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        if (isPicker(m_source->currentData().toString()))
            return; // the picker's dialog answers with useFolder() or cancelPick()
        m_lastSource = m_source->currentData().toString();
        refreshCheckpoints();
        if (m_name->text().isEmpty() || m_name->isModified() == false)
            m_name->setText(m_source->currentText());
        Q_EMIT changed();
    });
    connect(m_name, &QLineEdit::textEdited, this, &ChatColumn::changed);
    connect(m_checkpoint, qOverload<int>(&QComboBox::activated), this, &ChatColumn::modelChanged);
    connect(m_sampling, &SamplingFields::changed, this, [this] {
        showIdentity();
        Q_EMIT changed();
    });
}

void ChatColumn::addSource(const QString &label, const QString &folder)
{
    const int existing = m_source->findData(folder);
    if (existing >= 0)
        return;
    // Keep the pickers last.
    m_source->insertItem(m_source->count() - kPickers, label, folder);
    if (m_source->count() == kPickers + 1)
        m_source->setCurrentIndex(0);
}

void ChatColumn::chooseFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Model or run folder"));
    if (dir.isEmpty()) {
        cancelPick();
        return;
    }
    useFolder(dir);
}

void ChatColumn::useFolder(const QString &dir)
{
    addSource(sourceLabel(dir), dir);
    m_source->setCurrentIndex(m_source->findData(dir));
    Q_EMIT modelChanged();
}

void ChatColumn::cancelPick()
{
    const int previous = m_source->findData(m_lastSource);
    m_source->setCurrentIndex(previous >= 0 ? previous : 0);
}

// A run folder offers latest, best and each kept step; a model folder is one checkpoint.
void ChatColumn::refreshCheckpoints()
{
    const QString folder = m_source->currentData().toString();
    const QString previous = m_checkpoint->currentData().toString();
    QSignalBlocker block(m_checkpoint);
    m_checkpoint->clear();
    if (!QFileInfo::exists(folder + "/run.json")) {
        m_checkpoint->addItem(tr("(the model itself)"), QStringLiteral("latest"));
        m_checkpoint->setEnabled(false);
        return;
    }
    m_checkpoint->setEnabled(true);
    m_checkpoint->addItem(tr("latest"), QStringLiteral("latest"));
    m_checkpoint->addItem(tr("current weights (runs training here)"), QStringLiteral("current"));
    m_checkpoint->setItemData(m_checkpoint->count() - 1,
        tr("The weights of a run training in this process, copied when the models load (no "
           "checkpoint is written); for a run not training here, the latest checkpoint"),
        Qt::ToolTipRole);
    m_checkpoint->addItem(tr("best (validation loss)"), QStringLiteral("best"));
    QStringList steps = QDir(folder + "/checkpoints").entryList({ "step-*" }, QDir::Dirs);
    std::sort(steps.begin(), steps.end(), [](const QString &a, const QString &b) {
        return a.mid(5).toLongLong() < b.mid(5).toLongLong();
    });
    for (const QString &s : steps)
        m_checkpoint->addItem(s, s);
    const int i = m_checkpoint->findData(previous);
    m_checkpoint->setCurrentIndex(i >= 0 ? i : 0);
}

ChatModelSpec ChatColumn::spec() const
{
    ChatModelSpec s;
    s.source = m_source->currentData().toString();
    if (isPicker(s.source))
        s.source.clear(); // no model chosen yet
    s.name
        = m_name->text().trimmed().isEmpty() ? m_source->currentText() : m_name->text().trimmed();
    // A column with no model yet has no checkpoint to choose: the default (latest).
    const QString checkpoint = m_checkpoint->currentData().toString();
    if (!checkpoint.isEmpty())
        s.checkpoint = CheckpointChoice::parse(checkpoint.toStdString());
    m_sampling->writeTo(s);
    return s;
}

void ChatColumn::setSpec(const ChatModelSpec &s)
{
    if (m_source->findData(s.source) < 0)
        addSource(sourceLabel(s.source), s.source);
    m_source->setCurrentIndex(m_source->findData(s.source));
    refreshCheckpoints();
    const int c = m_checkpoint->findData(QString::fromStdString(s.checkpoint.toString()));
    if (c >= 0)
        m_checkpoint->setCurrentIndex(c);
    if (!s.name.isEmpty())
        m_name->setText(s.name);
    m_sampling->readFrom(s);
    showIdentity();
    Q_EMIT modelChanged();
}

void ChatColumn::setShared(const ChatModelSpec &before, const ChatModelSpec &after)
{
    m_shared = after;
    const QSignalBlocker quiet(m_sampling); // the pane reloads once for all columns
    m_sampling->follow(before, after);
    showIdentity();
}

// "step 108 · T 1 · top-k 8 · …": every column says which weights and settings answer in it,
// and the settings that are its own (not the shared ones) in bold.
void ChatColumn::showIdentity()
{
    const ChatModelSpec s = spec();
    QStringList parts;
    if (!m_loadedModel.folder.isEmpty()) {
        // The run (or model folder) by its folder name; the full path is the tooltip.
        const QString name
            = QFileInfo(s.source).fileName().isEmpty() ? s.source : QFileInfo(s.source).fileName();
        if (m_loadedModel.step >= 0)
            parts << tr("run %1").arg(name) << tr("step %1").arg(m_loadedModel.step);
        else
            parts << tr("model folder %1").arg(name);
    }
    parts << tr("T %1").arg(s.temperature) << tr("top-k %1").arg(s.topK)
          << tr("top-p %1").arg(s.topP);
    parts << tr("rep. %1").arg(s.repetitionPenalty);
    parts << tr("seed %1").arg(s.seed)
          << (s.precision == Precision::Bf16 ? QStringLiteral("bf16") : QStringLiteral("fp32"));
    const QStringList own = m_sampling->markOwn(m_shared);
    QString text = parts.join(QStringLiteral(" · ")).toHtmlEscaped();
    if (!own.isEmpty())
        text += QStringLiteral("<br><b>%1</b>")
                    .arg(tr("own: %1").arg(own.join(QStringLiteral(", "))).toHtmlEscaped());
    m_loaded->setText(text);
}

QString ChatColumn::identity() const
{
    return m_loaded->text();
}

QString ChatColumn::refusal() const
{
    return m_refused->isVisible() || !m_refused->text().isEmpty() ? m_refused->text() : QString();
}

void ChatColumn::setRefused(const QString &reason)
{
    m_refused->setText(reason.isEmpty() ? QString() : tr("Not loaded: %1").arg(reason));
    m_refused->setVisible(!reason.isEmpty());
}

void ChatColumn::focusModel()
{
    m_source->setFocus(Qt::ShortcutFocusReason);
}

void ChatColumn::setLoaded(const LoadedModel &model)
{
    m_loadedModel = model;
    m_loaded->setToolTip(model.folder.isEmpty() ? QString() : tr("loaded: %1").arg(model.folder));
    setRefused({});
    showIdentity();
    const QSignalBlocker quiet(m_checkpoint);
    refreshCheckpoints(); // a run may have written new ones meanwhile
}

void ChatColumn::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QFrame::changeEvent(event);
}

void ChatColumn::retranslate()
{
    m_name->setPlaceholderText(tr("Model name"));
    m_remove->setToolTip(tr("Remove this model"));
    const int other = m_source->findData(QString::fromLatin1(kOtherFolder));
    m_source->setItemText(other, tr("Other folder…"));
    const int hub = m_source->findData(QString::fromLatin1(kHubModel));
    m_source->setItemText(hub, tr("Hugging Face model…"));
    m_source->setItemData(hub,
        tr("A model by its repo id (org/name): from the Hugging Face cache, downloaded first "
           "when it is not there"),
        Qt::ToolTipRole);
    m_modelTitle->setText(tr("Model"));
    m_checkpointTitle->setText(tr("Checkpoint"));
    m_settings->setToolTip(tr("This column's sampling settings (bold: its own, not the shared)"));
    if (m_checkpoint->count() > 0) {
        const QSignalBlocker quiet(m_checkpoint);
        refreshCheckpoints(); // the list's words, its choice kept
    }
    showIdentity();
}

} // namespace chatbench::ui
