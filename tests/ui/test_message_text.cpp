// A conversation line (MessageText): wraps to the width it is given and reports the height that
// needs, draws what it holds on its own background, selects with the mouse, copies with Ctrl+C,
// and follows a font change.

#include "message_text.h"

#include <QApplication>
#include <QClipboard>
#include <QtTest/QtTest>

using chatbench::ui::MessageText;

class TestMessageText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wrapsToItsWidth()
    {
        MessageText text;
        const QString line = QStringLiteral("今天天氣很好，我們去公園散步吧。").repeated(6);
        text.setText(line);
        // One line, as tall as the fonts it needs (a CJK fallback can be taller than the font).
        const int wide = text.fontMetrics().horizontalAdvance(line) * 2;
        const int lineHeight = text.heightForWidth(wide);
        QVERIFY(lineHeight >= text.fontMetrics().height());
        QVERIFY(lineHeight < 2 * text.fontMetrics().height());
        const int narrow = wide / 8; // a quarter of the text
        QVERIFY2(text.heightForWidth(narrow) >= 4 * lineHeight,
            qPrintable(QString::number(text.heightForWidth(narrow))));
        // Asked again at the first width, it answers as before: nothing is stale.
        QCOMPARE(text.heightForWidth(wide), lineHeight);
        // A shorter text needs fewer lines at the same width.
        text.setText(QStringLiteral("你好"));
        QCOMPARE(text.heightForWidth(narrow), lineHeight);
        QCOMPARE(text.text(), QStringLiteral("你好"));
    }

    // A repaint copies the text drawn before: it must still show a new text, a new palette and
    // a selection.
    void drawsWhatItHolds()
    {
        MessageText text;
        text.setText(QStringLiteral("你好，今天天氣很好"));
        text.resize(text.fontMetrics().horizontalAdvance(text.text()) + 20,
            text.fontMetrics().height() + 4);
        const auto count = [](const QImage &image, QRgb colour) {
            int n = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    n += image.pixel(x, y) == colour;
            return n;
        };
        const QRgb window = text.palette().color(QPalette::Window).rgb();
        const QImage first = text.grab().toImage();
        QCOMPARE(first.pixel(first.width() - 1, first.height() - 1), window);
        QVERIFY(count(first, window) < first.width() * first.height()); // some text is drawn
        QCOMPARE(text.grab().toImage(), first); // drawn again the same

        text.setText(QStringLiteral("再見"));
        const QImage second = text.grab().toImage();
        QVERIFY(second != first);
        // Past the shorter text only the background is left.
        const int end = text.fontMetrics().horizontalAdvance(text.text()) + 2;
        QCOMPARE(count(second.copy(end, 0, second.width() - end, second.height()), window),
            (second.width() - end) * second.height());

        QPalette palette = text.palette();
        palette.setColor(QPalette::Window, QColor(250, 240, 200));
        text.setPalette(palette);
        const QImage recoloured = text.grab().toImage();
        QCOMPARE(recoloured.pixel(0, recoloured.height() - 1), qRgb(250, 240, 200));

        palette.setColor(QPalette::Highlight, QColor(20, 200, 20));
        text.setPalette(palette);
        text.selectAll();
        QVERIFY(count(text.grab().toImage(), qRgb(20, 200, 20)) > 0);
    }

    void selectsWithTheMouseAndCopies()
    {
        MessageText text;
        text.setText(QStringLiteral("你好，今天天氣很好"));
        text.resize(text.fontMetrics().horizontalAdvance(text.text()) + 20,
            text.fontMetrics().height() + 4);
        text.show();
        QVERIFY(QTest::qWaitForWindowExposed(&text));
        const int y = text.fontMetrics().height() / 2;
        // From the left edge to just past the second character: "你好".
        const int x = text.fontMetrics().horizontalAdvance(QStringLiteral("你好")) + 1;
        QTest::mousePress(&text, Qt::LeftButton, {}, QPoint(0, y));
        QMouseEvent move(QEvent::MouseMove, QPointF(x, y), text.mapToGlobal(QPointF(x, y)),
            Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&text, &move);
        QTest::mouseRelease(&text, Qt::LeftButton, {}, QPoint(x, y));
        QCOMPARE(text.selectedText(), QStringLiteral("你好"));

        QApplication::clipboard()->clear();
        text.setFocus();
        QTest::keyClick(&text, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("你好"));

        // Select all, and a new text drops the selection.
        QTest::keyClick(&text, Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(text.selectedText(), text.text());
        text.setText(QStringLiteral("再見"));
        QCOMPARE(text.selectedText(), QString());
    }

    void followsAFontChange()
    {
        MessageText text;
        text.setText(QStringLiteral("今天天氣很好"));
        const int before = text.heightForWidth(1000);
        QFont larger = text.font();
        larger.setPointSizeF(larger.pointSizeF() * 2);
        text.setFont(larger);
        QVERIFY2(text.heightForWidth(1000) > before,
            qPrintable(QStringLiteral("%1 then %2").arg(before).arg(text.heightForWidth(1000))));
    }
};

QTEST_MAIN(TestMessageText)
#include "test_message_text.moc"
