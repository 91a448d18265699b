#include "conversation_grid.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace chatbench::ui {

namespace {
QString stopText(StopReason reason)
{
    switch (reason) {
    case StopReason::StopToken:
        return ConversationGrid::tr("end of reply");
    case StopReason::MaxTokens:
        return ConversationGrid::tr("length limit");
    case StopReason::Cancelled:
        break;
    }
    return ConversationGrid::tr("stopped");
}
} // namespace

ConversationGrid::ConversationGrid(QWidget *parent) : QScrollArea(parent)
{
    m_content = new QWidget(this);
    auto *outer = new QVBoxLayout(m_content);
    outer->setContentsMargins(0, 0, 0, 0);
    m_grid = new QGridLayout;
    m_grid->setVerticalSpacing(2);
    outer->addLayout(m_grid);
    outer->addStretch(1);
    setWidget(m_content);
    setWidgetResizable(true);
    setFrameShape(QFrame::StyledPanel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Always there, so the columns above line up with the cells whether or not it is needed.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this,
        [this](int value) { m_followEnd = value >= verticalScrollBar()->maximum() - 4; });
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int max) {
        if (m_followEnd)
            verticalScrollBar()->setValue(max);
    });
    rebuild();
}

void ConversationGrid::setColumnCount(int columns)
{
    if (columns == m_columns)
        return;
    m_columns = columns;
    rebuild();
}

int ConversationGrid::turnCount() const
{
    return std::max(int(m_turns.size()), m_pendingTurn + 1);
}

QString ConversationGrid::userText(int turn) const
{
    if (turn == m_pendingTurn)
        return m_pendingUser;
    return turn < int(m_turns.size()) ? QString::fromStdString(m_turns[std::size_t(turn)].user)
                                      : QString();
}

bool ConversationGrid::isStreaming(int turn, int model) const
{
    return m_streamed.count({ turn, model }) > 0;
}

void ConversationGrid::setTurns(const std::vector<ChatTurn> &turns)
{
    m_turns = turns;
    ensureRows(turnCount());
    for (int t = 0; t < turnCount(); ++t)
        showRow(t);
}

void ConversationGrid::beginReplies(int turn, const QString &user, const QVector<int> &models)
{
    // A new or edited turn drops what came after it, as the engine does.
    if (turn < int(m_turns.size()) && user != QString::fromStdString(m_turns[turn].user))
        m_turns.resize(std::size_t(turn));
    else if (turn < int(m_turns.size()))
        m_turns.resize(std::size_t(turn) + 1);
    m_pendingTurn = turn;
    m_pendingUser = user;
    m_streamed.clear();
    for (const int m : models)
        m_streamed[{ turn, m }] = QString();
    ensureRows(turnCount());
    showRow(turn);
}

void ConversationGrid::setStreamedText(int turn, int model, const QString &textSoFar)
{
    const auto it = m_streamed.find({ turn, model });
    if (it == m_streamed.end() || it->second == textSoFar)
        return;
    it->second = textSoFar;
    showCell(turn, model);
}

void ConversationGrid::endStreaming()
{
    const auto streamed = std::exchange(m_streamed, {});
    const int pending = std::exchange(m_pendingTurn, -1);
    ensureRows(turnCount());
    if (pending >= 0 && pending < turnCount())
        showRow(pending);
    for (const auto &[key, text] : streamed)
        if (key.first < turnCount())
            showCell(key.first, key.second);
}

void ConversationGrid::rebuild()
{
    for (Row &row : m_rows) {
        delete row.userBox;
        for (Cell &c : row.cells)
            delete c.box;
    }
    m_rows.clear();
    ensureRows(turnCount());
    for (int t = 0; t < turnCount(); ++t)
        showRow(t);
}

void ConversationGrid::ensureRows(int count)
{
    while (m_rows.size() > count) {
        Row row = m_rows.takeLast();
        delete row.userBox;
        for (Cell &c : row.cells)
            delete c.box;
    }
    while (m_rows.size() < count) {
        const int turn = int(m_rows.size());
        Row row;
        row.userBox = new QWidget(m_content);
        auto *userLayout = new QHBoxLayout(row.userBox);
        userLayout->setContentsMargins(4, 6, 4, 0);
        row.user = new QLabel(row.userBox);
        row.user->setWordWrap(true);
        row.user->setTextInteractionFlags(Qt::TextSelectableByMouse);
        row.edit = new QToolButton(row.userBox);
        row.edit->setText(QStringLiteral("✎"));
        row.edit->setAutoRaise(true);
        connect(
            row.edit, &QToolButton::clicked, this, [this, turn] { Q_EMIT editRequested(turn); });
        userLayout->addWidget(row.user, 1);
        userLayout->addWidget(row.edit);
        m_grid->addWidget(row.userBox, 2 * turn, 0, 1, m_columns);
        for (int m = 0; m < m_columns; ++m) {
            Cell c;
            c.box = new QFrame(m_content);
            static_cast<QFrame *>(c.box)->setFrameShape(QFrame::StyledPanel);
            auto *cellLayout = new QVBoxLayout(c.box);
            cellLayout->setContentsMargins(6, 4, 6, 4);
            c.text = new QLabel(c.box);
            c.text->setWordWrap(true);
            c.text->setTextFormat(Qt::RichText);
            c.text->setTextInteractionFlags(Qt::TextSelectableByMouse);
            c.text->setAlignment(Qt::AlignLeft | Qt::AlignTop);
            auto *footer = new QHBoxLayout;
            c.footer = new QLabel(c.box);
            c.footer->setStyleSheet(QStringLiteral("color: gray"));
            c.previous = new QToolButton(c.box);
            c.previous->setText(QStringLiteral("‹"));
            c.previous->setAutoRaise(true);
            c.version = new QLabel(c.box);
            c.next = new QToolButton(c.box);
            c.next->setText(QStringLiteral("›"));
            c.next->setAutoRaise(true);
            const auto step = [this, turn, m](int by) {
                if (turn >= int(m_turns.size()))
                    return;
                const ChatTurn &t = m_turns[std::size_t(turn)];
                const int to = int(t.shownVersion(std::size_t(m))) + by;
                if (to >= 0 && to < int(t.versionsOf(std::size_t(m)).size()))
                    Q_EMIT versionRequested(turn, m, to);
            };
            connect(c.previous, &QToolButton::clicked, this, [step] { step(-1); });
            connect(c.next, &QToolButton::clicked, this, [step] { step(+1); });
            footer->addWidget(c.footer, 1);
            footer->addWidget(c.previous);
            footer->addWidget(c.version);
            footer->addWidget(c.next);
            cellLayout->addWidget(c.text, 1);
            cellLayout->addLayout(footer);
            m_grid->addWidget(c.box, 2 * turn + 1, m);
            row.cells.append(c);
        }
        m_rows.append(row);
    }
    for (int m = 0; m < m_columns; ++m)
        m_grid->setColumnStretch(m, 1);
}

void ConversationGrid::showRow(int turn)
{
    Row &row = m_rows[turn];
    const QString user = QStringLiteral("<b>%1</b> %2")
                             .arg(tr("user:").toHtmlEscaped(), userText(turn).toHtmlEscaped());
    if (row.user->text() != user)
        row.user->setText(user);
    row.edit->setToolTip(tr("Edit this line and have every model answer it again"));
    row.edit->setEnabled(m_pendingTurn < 0);
    for (int m = 0; m < m_columns; ++m)
        showCell(turn, m);
}

QString ConversationGrid::replyFooter(int turn, int model) const
{
    if (isStreaming(turn, model))
        return tr("answering…");
    if (turn >= int(m_turns.size()))
        return QString();
    const ChatTurn &t = m_turns[std::size_t(turn)];
    if (!t.answeredBy(std::size_t(model)))
        return tr("not answered");
    const ChatReply &r = t.replies[std::size_t(model)];
    const std::size_t tokens = r.tokensDecoded();
    QString footer = tr("%n token(s)", "", int(tokens));
    if (r.decodeMs > 0)
        footer += QStringLiteral(" · ")
            + tr("%1 tok/s").arg(double(tokens) * 1000.0 / r.decodeMs, 0, 'f', 1);
    footer += QStringLiteral(" · ") + stopText(r.stopReason);
    return footer;
}

void ConversationGrid::showCell(int turn, int model)
{
    if (turn >= m_rows.size() || model >= m_columns)
        return;
    Cell &c = m_rows[turn].cells[model];
    QString html;
    int versions = 0, shown = 0;
    if (isStreaming(turn, model)) {
        html = m_streamed.at({ turn, model }).toHtmlEscaped() + QStringLiteral(" ▌");
    } else if (turn < int(m_turns.size())) {
        const ChatTurn &t = m_turns[std::size_t(turn)];
        versions = int(t.versionsOf(std::size_t(model)).size());
        shown = int(t.shownVersion(std::size_t(model)));
        if (!t.answeredBy(std::size_t(model))) {
            html = QStringLiteral("<span style=\"color:gray\">—</span>");
        } else {
            const ChatReply &r = t.replies[std::size_t(model)];
            html = QString::fromStdString(r.text).toHtmlEscaped();
            if (r.stopReason == StopReason::Cancelled)
                html += QStringLiteral(" <i style=\"color:gray\">%1</i>")
                            .arg(tr("(stopped)").toHtmlEscaped());
        }
    }
    html.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    if (c.text->text() != html)
        c.text->setText(html);
    const QString footer = replyFooter(turn, model);
    if (c.footer->text() != footer)
        c.footer->setText(footer);
    const bool several = versions > 1 && !isStreaming(turn, model);
    c.previous->setVisible(several);
    c.next->setVisible(several);
    c.version->setVisible(several);
    if (several) {
        c.version->setText(QStringLiteral("%1/%2").arg(shown + 1).arg(versions));
        c.previous->setEnabled(shown > 0 && m_pendingTurn < 0);
        c.next->setEnabled(shown + 1 < versions && m_pendingTurn < 0);
        c.previous->setToolTip(tr("The reply before"));
        c.next->setToolTip(tr("The next reply"));
    }
}

QString ConversationGrid::columnText(int column) const
{
    QStringList lines;
    for (int t = 0; t < turnCount(); ++t) {
        lines << tr("user:") + QLatin1Char(' ') + userText(t);
        QString reply;
        if (isStreaming(t, column))
            reply = m_streamed.at({ t, column });
        else if (t < int(m_turns.size()) && m_turns[std::size_t(t)].answeredBy(std::size_t(column)))
            reply
                = QString::fromStdString(m_turns[std::size_t(t)].replies[std::size_t(column)].text);
        lines << tr("chatbot:") + QLatin1Char(' ') + reply;
    }
    return lines.join(QLatin1Char('\n'));
}

void ConversationGrid::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        for (int t = 0; t < turnCount() && t < m_rows.size(); ++t)
            showRow(t);
    QScrollArea::changeEvent(event);
}

} // namespace chatbench::ui
