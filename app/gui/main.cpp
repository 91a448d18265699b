// chatbench: the desktop application.

#include "chat_pane.h"
#include "chatbench/runtime.h"
#include "comparison_service.h"
#include "engine_thread.h"
#include "main_window.h"
#include "model_comparison.h"
#include "run_list.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QLineEdit>
#include <QTabWidget>
#include <QTimer>

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
    QCommandLineOption screenshot("screenshot",
        "Save a PNG of the window once it is shown, then quit (the README's screenshots).", "FILE");
    parser.addOption(screenshot);
    QCommandLineOption workspace(
        "workspace", "Open this workspace (a folder of run folders).", "DIR");
    parser.addOption(workspace);
    QCommandLineOption demo("demo",
        "Run the built-in demo (the reference experiment) in the workspace given by --workspace "
        "(default: ./chatbench-demo): the runs train live while you chat with them.");
    parser.addOption(demo);
    QCommandLineOption say("say",
        "Send this line to the Chat pane's models once the workspace is open (scripted demos and "
        "screenshots).",
        "TEXT");
    parser.addOption(say);
    QCommandLineOption compare("compare",
        "Once the workspace is open, give the Chat pane one column per run and compare them on "
        "this prompt file in Model Comparison (scripted demos and screenshots; with --screenshot "
        "the picture is taken when the comparison is done).",
        "FILE");
    parser.addOption(compare);
    QCommandLineOption pane("pane", "Show this pane first: monitor, chat or comparison.", "NAME");
    parser.addOption(pane);
    parser.process(app);

    chatbench::configureThreads(parser.value(threads).toInt());
    chatbench::ui::MainWindow window;
    window.show();
    if (parser.isSet(demo))
        window.startDemo(parser.isSet(workspace) ? parser.value(workspace) : "chatbench-demo");
    else if (parser.isSet(workspace))
        window.openWorkspace(parser.value(workspace));
    if (parser.isSet(pane)) {
        const QStringList panes { "monitor", "chat", "comparison" };
        const int index = int(panes.indexOf(parser.value(pane)));
        if (index < 0) {
            qCritical("--pane: expected monitor, chat or comparison");
            return 2;
        }
        window.panes()->setCurrentIndex(index);
    }
    if (parser.isSet(say))
        QTimer::singleShot(1500, &window, [&] {
            window.chatPane()->input()->setText(parser.value(say));
            window.chatPane()->send();
        });
    if (parser.isSet(compare))
        QTimer::singleShot(1500, &window, [&] {
            chatbench::ui::ChatPane *chat = window.chatPane();
            const QStringList runs = window.runList()->runs();
            for (int i = 0; i < runs.size(); ++i) {
                chatbench::ui::ChatModelSpec spec = chat->columns().first()->spec();
                spec.source = runs[i];
                spec.name = QFileInfo(runs[i]).fileName();
                spec.checkpoint = {};
                if (i == 0)
                    chat->columns().first()->setSpec(spec);
                else
                    chat->addColumn(&spec);
            }
            window.panes()->setCurrentWidget(window.modelComparison());
            if (!window.modelComparison()->loadPromptFile(parser.value(compare))) {
                qCritical("--compare: cannot load %s", qPrintable(parser.value(compare)));
                QCoreApplication::exit(1);
                return;
            }
            window.modelComparison()->compare();
        });
    if (parser.isSet(screenshot)) {
        const auto grabAndQuit = [&] {
            const bool saved = window.grab().save(parser.value(screenshot));
            if (!saved)
                qCritical("cannot write %s", qPrintable(parser.value(screenshot)));
            QCoreApplication::exit(saved ? 0 : 1);
        };
        if (parser.isSet(compare))
            QObject::connect(window.engine()->comparison(),
                &chatbench::ui::ComparisonService::finished, &window,
                [&window, grabAndQuit] { QTimer::singleShot(500, &window, grabAndQuit); });
        else {
            // Long enough for the engine thread to read the runs' metrics and the plots to draw.
            // The demo first prepares its corpora (and, uncached, its base model) on the engine
            // thread.
            const int delayMs = parser.isSet(demo) ? 30000 : parser.isSet(workspace) ? 2000 : 500;
            QTimer::singleShot(delayMs, &window, grabAndQuit);
        }
    }
    return app.exec();
}
