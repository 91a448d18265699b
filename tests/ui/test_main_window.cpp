// The main window comes up with its menus and engine status, and remembers its geometry.

#include "main_window.h"

#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QtTest/QtTest>

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("ChatBenchTest");
        QCoreApplication::setApplicationName("test_main_window");
        QSettings().clear();
    }

    void showsMenusAndEngineStatus()
    {
        chatbench::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList menus;
        for (QAction *a : window.menuBar()->actions())
            menus << a->text();
        QCOMPARE(menus, (QStringList { "&File", "&Help" }));
        const auto labels = window.statusBar()->findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
            [](QLabel *l) { return l->text().contains("libtorch"); }));
    }

    void remembersGeometry()
    {
        {
            chatbench::ui::MainWindow window;
            window.resize(900, 600);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.close();
        }
        chatbench::ui::MainWindow again;
        QCOMPARE(again.size(), QSize(900, 600));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
