#include "chat_column.h"

#include "chatbench/hub.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
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
    m_temperature = new QDoubleSpinBox(this);
    m_temperature->setRange(0, 5);
    m_temperature->setSingleStep(0.1);
    m_temperature->setValue(1.0);
    m_topK = new QSpinBox(this);
    m_topK->setRange(0, 1000);
    m_topK->setValue(8);
    m_topP = new QDoubleSpinBox(this);
    m_topP->setRange(0.01, 1);
    m_topP->setSingleStep(0.05);
    m_topP->setValue(1.0);
    m_repetition = new QDoubleSpinBox(this);
    m_repetition->setRange(1, 5);
    m_repetition->setSingleStep(0.1);
    m_repetition->setValue(1.0);
    m_maxLength = new QSpinBox(this);
    m_maxLength->setRange(1, 1000);
    m_maxLength->setValue(40);
    m_history = new QSpinBox(this);
    m_history->setRange(1, 50);
    m_history->setValue(3);
    m_bf16 = new QCheckBox(this);
    m_view = new QTextBrowser(this);
    m_view->setMinimumHeight(160);

    auto *title = new QHBoxLayout;
    title->addWidget(m_name, 1);
    title->addWidget(remove);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (QLabel **title : { &m_modelTitle, &m_checkpointTitle, &m_temperatureTitle, &m_topKTitle,
             &m_topPTitle, &m_repetitionTitle, &m_maxLengthTitle, &m_historyTitle })
        *title = new QLabel(this);
    form->addRow(m_modelTitle, m_source);
    form->addRow(m_checkpointTitle, m_checkpoint);
    auto *sampling = new QHBoxLayout;
    sampling->addWidget(m_temperatureTitle);
    sampling->addWidget(m_temperature);
    sampling->addWidget(m_topKTitle);
    sampling->addWidget(m_topK);
    sampling->addWidget(m_topPTitle);
    sampling->addWidget(m_topP);
    auto *lengths = new QHBoxLayout;
    lengths->addWidget(m_repetitionTitle);
    lengths->addWidget(m_repetition);
    lengths->addWidget(m_maxLengthTitle);
    lengths->addWidget(m_maxLength);
    lengths->addWidget(m_historyTitle);
    lengths->addWidget(m_history);
    lengths->addWidget(m_bf16);
    // Compact settings: label beside its box, spare width to the right, not between them.
    sampling->addStretch(1);
    lengths->addStretch(1);
    for (QWidget *box : std::initializer_list<QWidget *> {
             m_temperature, m_topK, m_topP, m_repetition, m_maxLength, m_history })
        box->setMaximumWidth(90);
    auto *column = new QVBoxLayout(this);
    column->addLayout(title);
    column->addLayout(form);
    column->addLayout(sampling);
    column->addLayout(lengths);
    column->addWidget(m_loaded);
    column->addWidget(m_view, 1);
    retranslate();

    connect(remove, &QToolButton::clicked, this, &ChatColumn::removeRequested);
    connect(m_source, qOverload<int>(&QComboBox::activated), this, [this] {
        const QString data = m_source->currentData().toString();
        if (data == QLatin1String(kOtherFolder))
            chooseFolder();
        else if (data == QLatin1String(kHubModel))
            Q_EMIT hubModelRequested();
    });
    connect(m_source, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
        if (!isPicker(m_source->currentData().toString()))
            m_lastSource = m_source->currentData().toString();
        refreshCheckpoints();
        if (m_name->text().isEmpty() || m_name->isModified() == false)
            m_name->setText(m_source->currentText());
        Q_EMIT changed();
    });
    connect(m_name, &QLineEdit::textEdited, this, &ChatColumn::changed);
    connect(
        m_checkpoint, qOverload<int>(&QComboBox::currentIndexChanged), this, &ChatColumn::changed);
    for (auto *box : { m_temperature, m_topP, m_repetition })
        connect(box, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ChatColumn::changed);
    for (auto *box : { m_topK, m_maxLength, m_history })
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &ChatColumn::changed);
    connect(m_bf16, &QCheckBox::toggled, this, &ChatColumn::changed);
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
    s.name
        = m_name->text().trimmed().isEmpty() ? m_source->currentText() : m_name->text().trimmed();
    // A column with no model yet has no checkpoint to choose: the default (latest).
    const QString checkpoint = m_checkpoint->currentData().toString();
    if (!checkpoint.isEmpty())
        s.checkpoint = CheckpointChoice::parse(checkpoint.toStdString());
    s.temperature = m_temperature->value();
    s.topK = m_topK->value();
    s.topP = m_topP->value();
    s.repetitionPenalty = m_repetition->value();
    s.maxNewTokens = m_maxLength->value();
    s.maxHistory = m_history->value();
    s.precision = m_bf16->isChecked() ? Precision::Bf16 : Precision::Fp32;
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
    m_temperature->setValue(s.temperature);
    m_topK->setValue(s.topK);
    m_topP->setValue(s.topP);
    m_repetition->setValue(s.repetitionPenalty);
    m_maxLength->setValue(s.maxNewTokens);
    m_history->setValue(s.maxHistory);
    m_bf16->setChecked(s.precision == Precision::Bf16);
}

void ChatColumn::setLoaded(const LoadedModel &model)
{
    m_loadedModel = model;
    const QString &folder = model.folder;
    m_loaded->setText(folder.isEmpty() ? QString()
            : model.step >= 0          ? tr("loaded: %1 (step %2)").arg(folder).arg(model.step)
                                       : tr("loaded: %1").arg(folder));
    m_loaded->setToolTip(folder);
    refreshCheckpoints(); // a run may have written new ones meanwhile
}

void ChatColumn::showConversation(const QVector<ChatLine> &lines)
{
    // Only the lines from the first one that changed are written again: laying out a whole
    // conversation of a few hundred turns took tens of milliseconds of the GUI thread, for each
    // streamed update.
    int first = 0;
    while (first < lines.size() && first < m_shown.size() && lines[first] == m_shown[first])
        ++first;
    if (first == lines.size() && lines.size() == m_shown.size())
        return;
    QTextDocument *doc = m_view->document();
    QTextCursor cursor(doc);
    cursor.beginEditBlock();
    const QTextBlock from = doc->findBlockByNumber(2 * first);
    if (first == 0) {
        cursor.select(QTextCursor::Document);
        cursor.removeSelectedText();
    } else if (from.isValid()) {
        cursor.setPosition(from.position() - 1); // the end of the last line kept
        cursor.movePosition(QTextCursor::End, QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
    }
    cursor.movePosition(QTextCursor::End);
    QTextBlockFormat userBlock, botBlock;
    userBlock.setTopMargin(4);
    userBlock.setBottomMargin(4);
    botBlock.setTopMargin(4);
    botBlock.setBottomMargin(10);
    botBlock.setLeftMargin(12);
    QTextCharFormat userText, botText;
    botText.setForeground(QColor(0x1f, 0x4e, 0x79));
    const auto paragraph
        = [&](bool firstBlock, const QTextBlockFormat &block, const QTextCharFormat &text,
              const QString &label, const QString &body) {
              if (firstBlock)
                  cursor.setBlockFormat(block);
              else
                  cursor.insertBlock(block);
              QTextCharFormat bold = text;
              bold.setFontWeight(QFont::Bold);
              cursor.insertText(label, bold);
              cursor.insertText(" " + body, text);
          };
    for (int i = first; i < lines.size(); ++i) {
        const ChatLine &l = lines[i];
        paragraph(i == 0, userBlock, userText, tr("user:"), l.user);
        paragraph(false, botBlock, botText, tr("chatbot:"),
            l.reply + (l.streaming ? QStringLiteral(" ▌") : QString()));
    }
    cursor.endEditBlock();
    m_shown = lines;
    m_view->moveCursor(QTextCursor::End);
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
    m_temperatureTitle->setText(tr("T"));
    m_temperature->setToolTip(tr("0 = greedy"));
    m_topKTitle->setText(tr("top-k"));
    m_topK->setToolTip(tr("0 = off; GPT2-chitchat uses 8"));
    m_topPTitle->setText(tr("top-p"));
    m_repetitionTitle->setText(tr("rep."));
    m_maxLengthTitle->setText(tr("max len"));
    m_historyTitle->setText(tr("history"));
    m_bf16->setText(tr("bf16"));
    m_bf16->setToolTip(tr("Decode with bfloat16 copies of the weight matrices: up to ~1.8x faster "
                          "on the CPU, logits within bfloat16 rounding"));
    if (!m_loadedModel.folder.isEmpty())
        setLoaded(m_loadedModel); // also the checkpoint list's words, its choice kept
    else if (m_checkpoint->count() > 0)
        refreshCheckpoints();
    // The conversation itself stays; its "user:" and "chatbot:" labels are written again.
    const QVector<ChatLine> lines = m_shown;
    m_shown.clear();
    showConversation(lines);
}

QString ChatColumn::conversationText() const
{
    return m_view->toPlainText();
}

} // namespace chatbench::ui
