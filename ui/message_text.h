#pragma once
// One line of the conversation, a user line or a reply: plain text that wraps to the width it
// is given, selectable with the mouse and copied with Ctrl+C or its context menu. Unlike a
// word-wrapped QLabel it shapes its text once per text and width and keeps the glyphs: a
// selectable QLabel lays out a whole text document several times for each size query and
// shapes the text again at every paint, which made one repaint of twenty rows of Chinese text
// cost more than a frame.

#include <QHash>
#include <QPixmap>
#include <QTextLayout>
#include <QWidget>

namespace chatbench::ui {

class MessageText : public QWidget
{
    Q_OBJECT

public:
    explicit MessageText(QWidget *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }
    QString selectedText() const;
    void selectAll();
    void clearSelection();

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    // Breaks the shaped text into lines `width` wide, unless it already is; returns the height.
    int layOut(int width) const;
    int hintWidth() const;
    void drawText(QPainter *painter, const QList<QTextLayout::FormatRange> &selection) const;
    int positionAt(const QPoint &point) const;
    void copy() const;
    void select(int anchor, int position);

    QString m_text;
    mutable QTextLayout m_layout;
    mutable int m_laidOutWidth = -1;
    mutable int m_height = 0;
    mutable int m_naturalWidth = -1; // one unbroken line, -1 until measured
    mutable QHash<int, int> m_heights; // width -> height, for the text shown
    QPixmap m_rendered; // the text without a selection, as last drawn
    int m_anchor = 0, m_position = 0; // the selection is [min, max)
};

} // namespace chatbench::ui
