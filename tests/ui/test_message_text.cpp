// A conversation line (MessageText): wraps to the width it is given and reports the height that
// needs, selects with the mouse, copies with Ctrl+C, and follows a font change.

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
