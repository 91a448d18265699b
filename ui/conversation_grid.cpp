#include "conversation_grid.h"

#include "message_text.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <iterator>

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
    m_earlier = new QPushButton(m_content);
    m_earlier->hide();
    connect(m_earlier, &QPushButton::clicked, this, &ConversationGrid::showEarlier);
    m_grid->addWidget(m_earlier, 0, 0, 1, 1, Qt::AlignLeft);
    outer->addLayout(m_grid);
    outer->addStretch(1);
    setWidget(m_content);
    setWidgetResizable(true);
    setFrameShape(QFrame::StyledPanel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Always there, so the columns above line up with the cells whether or not it is needed.
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    // Flat fills: Fusion draws this bar with gradients the pane's height, which the raster
    // engine splits across Qt's GUI thread pool and waits for. With training on every core the
    // pool's threads wait for a CPU, and that wait was the GUI thread's longest stall (37 ms).
    verticalScrollBar()->setStyleSheet(QStringLiteral(
        "QScrollBar:vertical { background: palette(base); width: 12px; margin: 0; }"
        "QScrollBar::handle:vertical { background: palette(mid); min-height: 24px; margin: 2px; }"
        "QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; }"
        "QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical { background: none; }"));
    m_redraw = new QTimer(this);
    m_redraw->setSingleShot(true);
    m_redraw->setInterval(33);
    connect(m_redraw, &QTimer::timeout, this, [this] {
        for (const auto &[turn, model] : std::exchange(m_stale, {}))
            showCell(turn, model);
    });
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

namespace {
// Whether a turn would show differently: only those rows are drawn again, which keeps a turn
// boundary cheap in a conversation of hundreds of turns.
bool sameShown(const ChatTurn &a, const ChatTurn &b)
{
    if (a.user != b.user || a.replies.size() != b.replies.size() || a.shown != b.shown)
        return false;
    for (std::size_t m = 0; m < a.replies.size(); ++m) {
        const ChatReply &x = a.replies[m], &y = b.replies[m];
        if (x.text != y.text || x.stopReason != y.stopReason || x.decodeMs != y.decodeMs
            || x.ids.size() != y.ids.size() || a.answeredBy(m) != b.answeredBy(m)
            || a.versionsOf(m).size() != b.versionsOf(m).size())
            return false;
    }
    return true;
}
} // namespace

// The engine sends every change in order, so the turns before `from` are here already.
void ConversationGrid::setTurns(const std::vector<ChatTurn> &turns, int from)
{
    from = std::clamp(from, 0, int(m_turns.size()));
    const auto kept = m_turns.begin() + from;
    std::vector<ChatTurn> before(
        std::make_move_iterator(kept), std::make_move_iterator(m_turns.end()));
    m_turns.erase(kept, m_turns.end());
    m_turns.insert(m_turns.end(), turns.begin(), turns.end());
    ensureRows(turnCount());
    for (int t = from; t < turnCount(); ++t) {
        const std::size_t i = std::size_t(t - from);
        if (i >= before.size() || std::size_t(t) >= m_turns.size()
            || !sameShown(before[i], m_turns[std::size_t(t)]))
            showRow(t);
    }
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
    setEditable(false); // no edit or version change while models answer
}

void ConversationGrid::setStreamedText(int turn, int model, const QString &textSoFar)
{
    const auto it = m_streamed.find({ turn, model });
    if (it == m_streamed.end() || it->second == textSoFar)
        return;
    it->second = textSoFar;
    // A fast model streams hundreds of tokens a second; laying out a cell for each would make
    // the GUI thread the bottleneck. At most ~30 redraws a second.
    m_stale.insert({ turn, model });
    if (!m_redraw->isActive())
        m_redraw->start();
}

void ConversationGrid::setEditable(bool editable)
{
    m_editable = editable;
    for (auto it = m_rows.begin(); it != m_rows.end(); ++it) {
        it->edit->setEnabled(editable);
        for (int m = 0; m < it->cells.size(); ++m)
            if (it->cells[m].version->isVisible())
                showCell(it.key(), m);
    }
}

void ConversationGrid::endStreaming()
{
    const auto streamed = std::exchange(m_streamed, {});
    const int pending = std::exchange(m_pendingTurn, -1);
    m_stale.clear();
    m_redraw->stop();
    ensureRows(turnCount());
    if (pending >= 0 && pending < turnCount())
        showRow(pending);
    for (const auto &[key, text] : streamed)
        if (key.first < turnCount())
            showCell(key.first, key.second);
    setEditable(true);
}

void ConversationGrid::rebuild()
{
    for (const Row &row : std::as_const(m_rows))
        deleteRow(row);
    m_rows.clear();
    ensureRows(turnCount()); // shows each row it makes
}

void ConversationGrid::deleteRow(const Row &row)
{
    delete row.userBox;
    for (const Cell &c : row.cells)
        delete c.box;
}

void ConversationGrid::showEarlier()
{
    m_window += kWindowStep;
    m_followEnd = false; // stay with the turns just brought back
    ensureRows(turnCount()); // shows the rows brought back; the others are as they were
    verticalScrollBar()->setValue(0);
}

// Widgets exist for the last m_window turns only: a conversation of hundreds of turns would
// otherwise re-lay out thousands of labels at every new row (over 100 ms at 400 turns). A row
// that leaves the window is moved to the turn that enters it: making, showing and deleting a
// row's widgets at every turn cost more than the rest of a turn boundary.
void ConversationGrid::ensureRows(int count)
{
    if (!m_whenShown.now(this))
        return;
    const int first = std::max(0, count - m_window);
    QVector<Row> leaving;
    for (auto it = m_rows.begin(); it != m_rows.end();) {
        if (it.key() < first || it.key() >= count) {
            leaving.append(*it);
            it = m_rows.erase(it);
        } else {
            ++it;
        }
    }
    m_earlier->setVisible(first > 0);
    if (first > 0)
        m_earlier->setText(tr("Show earlier turns (%n hidden)", "", first));
    for (int turn = first; turn < count; ++turn) {
        if (m_rows.contains(turn))
            continue;
        Row row = leaving.isEmpty() ? makeRow() : leaving.takeLast();
        m_grid->addWidget(row.userBox, 2 * turn + 1, 0, 1, m_columns);
        for (int m = 0; m < m_columns; ++m)
            m_grid->addWidget(row.cells[m].box, 2 * turn + 2, m);
        row.user->clearSelection();
        for (const Cell &c : std::as_const(row.cells))
            c.text->clearSelection();
        m_rows.insert(turn, row);
        showRow(turn); // a moved row shows another turn's text until then
    }
    for (const Row &row : std::as_const(leaving))
        deleteRow(row);
    for (int m = 0; m < m_columns; ++m)
        m_grid->setColumnStretch(m, 1);
}

int ConversationGrid::turnOf(const QWidget *box) const
{
    for (auto it = m_rows.cbegin(); it != m_rows.cend(); ++it) {
        if (it->userBox == box)
            return it.key();
        for (const Cell &c : it->cells)
            if (c.box == box)
                return it.key();
    }
    return -1;
}

ConversationGrid::Row ConversationGrid::makeRow()
{
    Row row;
    row.userBox = new QWidget(m_content);
    auto *userLayout = new QHBoxLayout(row.userBox);
    userLayout->setContentsMargins(4, 6, 4, 0);
    // No style sheets and no rich text: rows are laid out at every turn.
    row.who = new QLabel(row.userBox);
    row.who->setTextFormat(Qt::PlainText);
    QFont bold = row.who->font();
    bold.setBold(true);
    row.who->setFont(bold);
    row.user = new MessageText(row.userBox);
    row.edit = new QToolButton(row.userBox);
    row.edit->setText(QStringLiteral("✎"));
    row.edit->setAutoRaise(true);
    // Rows move to other turns: a button asks which turn its row shows now.
    connect(row.edit, &QToolButton::clicked, this, [this, box = row.userBox] {
        if (const int turn = turnOf(box); turn >= 0)
            Q_EMIT editRequested(turn);
    });
    userLayout->addWidget(row.who, 0, Qt::AlignTop);
    userLayout->addWidget(row.user, 1, Qt::AlignTop);
    userLayout->addWidget(row.edit);
    for (int m = 0; m < m_columns; ++m) {
        Cell c;
        c.box = new QFrame(m_content);
        static_cast<QFrame *>(c.box)->setFrameShape(QFrame::StyledPanel);
        auto *cellLayout = new QVBoxLayout(c.box);
        cellLayout->setContentsMargins(6, 4, 6, 4);
        c.text = new MessageText(c.box);
        auto *footer = new QHBoxLayout;
        c.footer = new QLabel(c.box);
        c.footer->setTextFormat(Qt::PlainText);
        QPalette gray = c.footer->palette();
        gray.setColor(QPalette::WindowText, gray.color(QPalette::PlaceholderText));
        c.footer->setPalette(gray);
        c.previous = new QToolButton(c.box);
        c.previous->setText(QStringLiteral("‹"));
        c.previous->setAutoRaise(true);
        c.version = new QLabel(c.box);
        c.version->setTextFormat(Qt::PlainText);
        c.next = new QToolButton(c.box);
        c.next->setText(QStringLiteral("›"));
        c.next->setAutoRaise(true);
        const auto step = [this, box = c.box, m](int by) {
            const int turn = turnOf(box);
            if (turn < 0 || turn >= int(m_turns.size()))
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
        row.cells.append(c);
    }
    return row;
}

void ConversationGrid::showRow(int turn)
{
    if (!m_whenShown.now(this))
        return;
    if (!m_rows.contains(turn))
        return;
    Row &row = m_rows[turn];
    if (row.who->text() != tr("user:"))
        row.who->setText(tr("user:"));
    const QString user = userText(turn);
    if (row.user->text() != user)
        row.user->setText(user);
    row.edit->setToolTip(tr("Edit this line and have every model answer it again"));
    row.edit->setEnabled(m_editable);
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
    if (!m_whenShown.now(this))
        return;
    if (!m_rows.contains(turn) || model >= m_columns)
        return;
    Cell &c = m_rows[turn].cells[model];
    QString text;
    int versions = 0, shown = 0;
    if (isStreaming(turn, model)) {
        text = m_streamed.at({ turn, model }) + QStringLiteral(" ▌");
    } else if (turn < int(m_turns.size())) {
        const ChatTurn &t = m_turns[std::size_t(turn)];
        versions = int(t.versionsOf(std::size_t(model)).size());
        shown = int(t.shownVersion(std::size_t(model)));
        if (!t.answeredBy(std::size_t(model))) {
            text = QStringLiteral("—");
        } else {
            const ChatReply &r = t.replies[std::size_t(model)];
            text = QString::fromStdString(r.text);
            if (r.stopReason == StopReason::Cancelled)
                text += QLatin1Char(' ') + tr("(stopped)");
        }
    }
    if (c.text->text() != text)
        c.text->setText(text);
    const QString footer = replyFooter(turn, model);
    if (c.footer->text() != footer)
        c.footer->setText(footer);
    const bool several = versions > 1 && !isStreaming(turn, model);
    c.previous->setVisible(several);
    c.next->setVisible(several);
    c.version->setVisible(several);
    if (several) {
        c.version->setText(QStringLiteral("%1/%2").arg(shown + 1).arg(versions));
        c.previous->setEnabled(shown > 0 && m_editable);
        c.next->setEnabled(shown + 1 < versions && m_editable);
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

void ConversationGrid::showEvent(QShowEvent *event)
{
    QScrollArea::showEvent(event);
    if (m_whenShown.owed()) {
        ensureRows(turnCount());
        for (auto it = m_rows.begin(); it != m_rows.end(); ++it)
            showRow(it.key());
    }
}

void ConversationGrid::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        for (auto it = m_rows.begin(); it != m_rows.end(); ++it)
            showRow(it.key());
    QScrollArea::changeEvent(event);
}

} // namespace chatbench::ui
