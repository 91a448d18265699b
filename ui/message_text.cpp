#include "message_text.h"

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QTextLine>
#include <cmath>

namespace chatbench::ui {

MessageText::MessageText(QWidget *parent) : QWidget(parent)
{
    // The shaped glyphs stay after layOut, so a paint only draws them.
    m_layout.setCacheEnabled(true);
    QTextOption option(Qt::AlignLeft);
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_layout.setTextOption(option);
    m_layout.setFont(font()); // and again at each FontChange
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setFocusPolicy(Qt::ClickFocus); // for Ctrl+C after a selection
    setCursor(Qt::IBeamCursor);
    // paintEvent covers the whole widget: nothing behind it needs drawing first.
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void MessageText::setText(const QString &text)
{
    if (text == m_text)
        return;
    const int oldHintWidth = hintWidth();
    const int oldHeight = m_laidOutWidth == width() ? m_height : -1;
    m_text = text;
    m_layout.setText(text);
    m_laidOutWidth = m_naturalWidth = -1;
    m_heights.clear();
    m_anchor = m_position = 0;
    m_rendered = QPixmap();
    // Streamed tokens mostly fill the last line: the layouts above need not hear of those.
    if (hintWidth() != oldHintWidth || layOut(width()) != oldHeight)
        updateGeometry();
    update();
}

int MessageText::layOut(int width) const
{
    width = std::max(width, 1);
    if (width == m_laidOutWidth)
        return m_height;
    qreal y = 0;
    m_layout.beginLayout();
    for (QTextLine line = m_layout.createLine(); line.isValid(); line = m_layout.createLine()) {
        line.setLineWidth(width);
        line.setPosition(QPointF(0, y));
        y += line.height();
    }
    m_layout.endLayout();
    m_laidOutWidth = width;
    m_height = std::max(int(std::ceil(y)), fontMetrics().height());
    return m_height;
}

int MessageText::heightForWidth(int width) const
{
    const auto known = m_heights.constFind(width);
    if (known != m_heights.cend())
        return *known;
    const int height = layOut(width);
    m_heights.insert(width, height);
    return height;
}

int MessageText::hintWidth() const
{
    if (m_naturalWidth < 0) {
        layOut(std::max(width(), 1)); // the layout knows its unbroken width once shaped
        m_naturalWidth = int(std::ceil(m_layout.maximumWidth()));
    }
    // Wider than this wraps: the columns share the width by their stretch, not by their text.
    return std::min(m_naturalWidth, fontMetrics().averageCharWidth() * 30) + 1;
}

// The height comes from heightForWidth: a hint laid out at another width than the widget's
// would have the next paint lay the text out again.
QSize MessageText::sizeHint() const
{
    return { hintWidth(), fontMetrics().height() };
}

QSize MessageText::minimumSizeHint() const
{
    return { fontMetrics().averageCharWidth() * 4, fontMetrics().height() };
}

bool MessageText::event(QEvent *event)
{
    switch (event->type()) {
    case QEvent::FontChange:
        m_layout.setFont(font());
        m_layout.setText(m_text); // drops the glyphs shaped with the old font
        m_laidOutWidth = m_naturalWidth = -1;
        m_heights.clear();
        m_rendered = QPixmap();
        updateGeometry();
        break;
    case QEvent::PaletteChange:
        m_rendered = QPixmap();
        break;
    default:
        break;
    }
    return QWidget::event(event);
}

// Every turn scrolls the conversation and repaints the rows in sight; drawing the glyphs of
// each again was a third of the GUI thread's time with the chat in sight. The text is drawn
// once into an opaque pixmap, which a repaint copies. A selection is drawn as it changes.
void MessageText::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    if (m_anchor != m_position) {
        painter.fillRect(rect(), palette().window());
        QTextLayout::FormatRange range;
        range.start = std::min(m_anchor, m_position);
        range.length = std::abs(m_anchor - m_position);
        range.format.setBackground(palette().brush(QPalette::Highlight));
        range.format.setForeground(palette().brush(QPalette::HighlightedText));
        drawText(&painter, { range });
        return;
    }
    const qreal ratio = devicePixelRatioF();
    const QSize pixels(int(std::ceil(width() * ratio)), int(std::ceil(height() * ratio)));
    if (m_rendered.size() != pixels || m_rendered.devicePixelRatio() != ratio) {
        m_rendered = QPixmap(pixels);
        m_rendered.setDevicePixelRatio(ratio);
        m_rendered.fill(palette().color(QPalette::Window));
        QPainter into(&m_rendered);
        drawText(&into, {});
    }
    painter.drawPixmap(0, 0, m_rendered);
}

// Size queries lay the text out at other widths too: it is laid out at the widget's own width
// only to draw it, not at a repaint that copies the pixmap.
void MessageText::drawText(
    QPainter *painter, const QList<QTextLayout::FormatRange> &selection) const
{
    layOut(width());
    painter->setPen(palette().color(QPalette::WindowText));
    m_layout.draw(painter, QPointF(0, 0), selection);
}

int MessageText::positionAt(const QPoint &point) const
{
    layOut(width());
    for (int i = 0; i < m_layout.lineCount(); ++i) {
        const QTextLine line = m_layout.lineAt(i);
        if (point.y() < line.y() + line.height() || i + 1 == m_layout.lineCount())
            return line.xToCursor(point.x());
    }
    return 0;
}

void MessageText::select(int anchor, int position)
{
    if (anchor == m_anchor && position == m_position)
        return;
    m_anchor = anchor;
    m_position = position;
    update();
}

void MessageText::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int at = positionAt(event->position().toPoint());
    select(at, at);
}

void MessageText::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton)
        select(m_anchor, positionAt(event->position().toPoint()));
}

void MessageText::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        selectAll();
}

void MessageText::selectAll()
{
    select(0, int(m_text.size()));
}

void MessageText::clearSelection()
{
    select(0, 0);
}

QString MessageText::selectedText() const
{
    return m_text.mid(std::min(m_anchor, m_position), std::abs(m_anchor - m_position));
}

void MessageText::copy() const
{
    QApplication::clipboard()->setText(m_anchor != m_position ? selectedText() : m_text);
}

void MessageText::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy))
        copy();
    else if (event->matches(QKeySequence::SelectAll))
        selectAll();
    else
        QWidget::keyPressEvent(event);
}

void MessageText::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    menu.addAction(m_anchor != m_position ? tr("Copy") : tr("Copy All"), this, [this] { copy(); });
    menu.addAction(tr("Select All"), this, [this] { selectAll(); });
    menu.exec(event->globalPos());
}

} // namespace chatbench::ui
