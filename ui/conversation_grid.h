#pragma once
// The Chat pane's conversation: one row per turn across every column, so a user line and each
// model's reply to it sit side by side under one scroll bar. A reply shows its tokens, tokens
// per second and why it stopped, and its versions (‹ 1/3 ›) once regenerated; a user line can be
// edited and answered again. It shows what the engine's session holds (setTurns) and, while
// models answer, the text streamed so far.

#include "chatbench/chat_session.h"
#include "when_shown.h"

#include <QMap>
#include <QScrollArea>
#include <QVector>
#include <map>
#include <set>
#include <vector>

class QGridLayout;
class QLabel;
class QPushButton;
class QTimer;
class QToolButton;

namespace chatbench::ui {

class MessageText;

class ConversationGrid : public QScrollArea
{
    Q_OBJECT

public:
    explicit ConversationGrid(QWidget *parent = nullptr);

    void setColumnCount(int columns);
    int columnCount() const { return m_columns; }
    // The turns from `from` on become `turns`; the ones before it stay.
    void setTurns(const std::vector<chatbench::ChatTurn> &turns, int from = 0);
    const std::vector<chatbench::ChatTurn> &turns() const { return m_turns; }
    // Models `models` start answering turn `turn` (a new turn when it is the next one).
    void beginReplies(int turn, const QString &user, const QVector<int> &models);
    void setStreamedText(int turn, int model, const QString &textSoFar);
    // Nothing streams any more (the generation ended or failed); what the engine holds stays.
    void endStreaming();
    bool isStreaming(int turn, int model) const;
    // The column's side as plain text: "user: …" and "chatbot: …" lines, in the UI's words.
    QString columnText(int column) const;
    // What a reply cell shows under the text: tokens, tokens/s, stop reason and version.
    QString replyFooter(int turn, int column) const;
    // Rows exist for the last turns only; "Show earlier turns" brings back more.
    int shownTurnCount() const { return int(m_rows.size()); }
    void showEarlier();

Q_SIGNALS:
    void editRequested(int turn);
    void versionRequested(int turn, int model, int version);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    struct Cell
    {
        QWidget *box = nullptr;
        MessageText *text = nullptr;
        QLabel *footer = nullptr, *version = nullptr;
        QToolButton *previous = nullptr, *next = nullptr;
    };
    struct Row
    {
        QWidget *userBox = nullptr;
        QLabel *who = nullptr; // "user:"
        MessageText *user = nullptr;
        QToolButton *edit = nullptr;
        QVector<Cell> cells;
    };

    void rebuild();
    void deleteRow(const Row &row);
    void setEditable(bool editable);
    void ensureRows(int count);
    Row makeRow();
    int turnOf(const QWidget *box) const; // the turn whose row holds `box`, or -1
    void showRow(int turn);
    void showCell(int turn, int model);
    QString userText(int turn) const;
    int turnCount() const;

    QWidget *m_content = nullptr;
    QGridLayout *m_grid = nullptr;
    int m_columns = 1;
    std::vector<chatbench::ChatTurn> m_turns;
    static constexpr int kWindowStep = 20;
    QMap<int, Row> m_rows; // turn -> its widgets, for the turns in the window
    int m_window = kWindowStep; // how many of the last turns have widgets
    QPushButton *m_earlier = nullptr; // "Show earlier turns"
    int m_pendingTurn = -1; // the turn being answered, possibly not in m_turns yet
    QString m_pendingUser;
    std::map<std::pair<int, int>, QString> m_streamed; // (turn, model) -> text so far
    bool m_followEnd = true; // scrolled to the end: stay there as the conversation grows
    bool m_editable = true; // false while models answer
    WhenShown m_whenShown; // a chat answering behind another pane draws its rows when shown
    QTimer *m_redraw = nullptr; // coalesces streamed tokens
    std::set<std::pair<int, int>> m_stale; // (turn, model) cells with text not drawn yet
};

} // namespace chatbench::ui
