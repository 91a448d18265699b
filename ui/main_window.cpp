#include "main_window.h"

#include "chatbench/runtime.h"

#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace chatbench::ui {

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(tr("ChatBench"));
    m_panes = new QTabWidget(this);
    m_panes->setDocumentMode(true);
    auto *welcome = new QLabel(tr("<h2>ChatBench</h2><p>A workbench for dialogue language "
                                  "models.</p><p>Open a model with <tt>chatbench-cli</tt> "
                                  "today; the Chat, Training Monitor and Model Comparison panes "
                                  "are on their way.</p>"),
        m_panes);
    welcome->setAlignment(Qt::AlignCenter);
    m_panes->addTab(welcome, tr("Welcome"));
    setCentralWidget(m_panes);

    m_engineStatus = new QLabel(this);
    m_engineStatus->setText(tr("Engine: %1, %2 threads")
                                .arg(QString::fromUtf8(engineDescription()))
                                .arg(computeThreads()));
    statusBar()->addPermanentWidget(m_engineStatus);
    createMenus();

    QSettings settings;
    if (!restoreGeometry(settings.value("mainWindow/geometry").toByteArray()))
        resize(1100, 720);
    restoreState(settings.value("mainWindow/state").toByteArray());
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ChatBench"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About ChatBench"),
        tr("<h3>ChatBench %1</h3><p>Train, chat with and compare GPT-2 dialogue "
           "models.</p><p>%2</p>")
            .arg(QStringLiteral(CHATBENCH_VERSION), QString::fromUtf8(engineDescription())));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue("mainWindow/geometry", saveGeometry());
    settings.setValue("mainWindow/state", saveState());
    event->accept();
}

} // namespace chatbench::ui
