// chatbench: the desktop application.

#include "chatbench/runtime.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName("ChatBench");
    QApplication::setApplicationName("ChatBench");
    QApplication::setApplicationVersion(CHATBENCH_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("Workbench for dialogue language models");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption threads("threads", "Compute threads (0 = all cores).", "N", "0");
    parser.addOption(threads);
    parser.process(app);

    chatbench::configureThreads(parser.value(threads).toInt());
    chatbench::ui::MainWindow window;
    window.show();
    return app.exec();
}
