// chatbench: the desktop application.

#include "chat_pane.h"
#include "chatbench/runtime.h"
#include "comparison_service.h"
#include "engine_thread.h"
#include "language.h"
#include "main_window.h"
#include "model_comparison.h"
#include "run_list.h"
#include "training_monitor.h"

#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QLineEdit>
#include <QTabWidget>
#include <QTimer>

namespace {

// --help and --version print and exit before a window system is needed: they work over ssh and
// in scripts, where QApplication would abort for want of a display.
bool asksForHelpOrVersion(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "-?" || arg == "--help-all" || arg == "-v"
            || arg == "--version")
            return true;
    }
    return false;
}

void nameApplication()
{
    QCoreApplication::setOrganizationName("ChatBench");
    QCoreApplication::setApplicationName("ChatBench");
    QCoreApplication::setApplicationVersion(CHATBENCH_VERSION);
}

// The command line; an Options holds the parsed-for option objects.
struct Options
{
    QCommandLineOption threads { "threads", "Compute threads (0 = all cores).", "N", "0" };
    QCommandLineOption screenshot { "screenshot",
        "Save a PNG of the window once it is shown, then quit (the README's screenshots).",
        "FILE" };
    QCommandLineOption workspace { "workspace", "Open this workspace (a folder of run folders).",
        "DIR" };
    QCommandLineOption demo { "demo",
        "Run the built-in demo (the reference experiment) in the workspace given by --workspace "
        "(default: ./chatbench-demo): the runs train live while you chat with them." };
    QCommandLineOption say { "say",
        "Once the workspace is open, give the Chat pane one column per run and send them this "
        "line; repeated, each line goes when the last is answered (scripted demos and "
        "screenshots; with --screenshot the picture is taken after the last replies).",
        "TEXT" };
    QCommandLineOption compare { "compare",
        "Once the workspace is open, give the Chat pane one column per run and compare them on "
        "this prompt file in Model Comparison (scripted demos and screenshots; with --screenshot "
        "the picture is taken when the comparison is done).",
        "FILE" };
    QCommandLineOption blind { "blind",
        "With --compare: judge the replies blind A/B (the box ticked before the comparison)." };
    QCommandLineOption votes { "votes",
        "With --compare --blind: once the replies are in, vote on the pairs in turn, one letter "
        "each: a or b (that side is better), t (tie), x (both bad); the reveal follows the last "
        "pair (scripted demos and screenshots).",
        "LETTERS" };
    QCommandLineOption pane { "pane",
        "Show this pane first: monitor, probes (the monitor's probe replies), chat or comparison.",
        "NAME" };
};

void addOptions(QCommandLineParser &parser, const Options &o)
{
    parser.setApplicationDescription("Workbench for dialogue language models");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({ o.threads, o.screenshot, o.workspace, o.demo, o.say, o.compare, o.blind,
        o.votes, o.pane });
}

} // namespace

int main(int argc, char **argv)
{
    if (asksForHelpOrVersion(argc, argv)) {
        QCoreApplication app(argc, argv);
        nameApplication();
        QCommandLineParser parser;
        addOptions(parser, Options {});
        parser.process(app); // prints and exits
        return 0;
    }
    QApplication app(argc, argv);
    nameApplication();

    const Options o;
    QCommandLineParser parser;
    addOptions(parser, o);
    parser.process(app);

    chatbench::configureThreads(parser.value(o.threads).toInt());
    // Before the window: every widget sets its texts when it is built.
    if (!chatbench::ui::applyLanguage(chatbench::ui::languageChoice()))
        qWarning("the UI's translations are missing from this build; it shows English");
    chatbench::ui::MainWindow window;
    window.show();
    if (parser.isSet(o.demo))
        window.startDemo(parser.isSet(o.workspace) ? parser.value(o.workspace) : "chatbench-demo");
    else if (parser.isSet(o.workspace))
        window.openWorkspace(parser.value(o.workspace));
    else
        window.reopenLastWorkspace();
    if (parser.isSet(o.pane)) {
        const QStringList panes { "monitor", "chat", "comparison", "probes" };
        const int index = int(panes.indexOf(parser.value(o.pane)));
        if (index < 0) {
            qCritical("--pane: expected monitor, probes, chat or comparison");
            return 2;
        }
        if (parser.value(o.pane) == "probes")
            window.trainingMonitor()->showProbeReplies();
        window.panes()->setCurrentIndex(index == 3 ? 0 : index);
    }
    const QStringList lines = parser.values(o.say);
    int said = 0;
    const auto sayNext = [&window, &lines, &said] {
        if (said >= lines.size())
            return false;
        window.chatPane()->input()->setText(lines[said++]);
        window.chatPane()->send();
        return true;
    };
    // The next line once the last is answered (connected before the screenshot's handler).
    QObject::connect(window.chatPane(), &chatbench::ui::ChatPane::turnFinished, &window,
        [sayNext] { sayNext(); });
    if (!lines.isEmpty())
        QTimer::singleShot(1500, &window, [&window, &parser, &o, sayNext] {
            if (!parser.isSet(o.compare)) {
                QVector<QPair<QString, QString>> runs;
                for (const QString &dir : window.runList()->runs())
                    runs.append({ QFileInfo(dir).fileName(), dir });
                window.chatPane()->chatWithRuns(runs);
            }
            sayNext();
        });
    if (parser.isSet(o.compare))
        QTimer::singleShot(1500, &window, [&] {
            QVector<QPair<QString, QString>> runs;
            for (const QString &dir : window.runList()->runs())
                runs.append({ QFileInfo(dir).fileName(), dir });
            window.chatPane()->chatWithRuns(runs);
            window.panes()->setCurrentWidget(window.modelComparison());
            if (!window.modelComparison()->loadPromptFile(parser.value(o.compare))) {
                qCritical("--compare: cannot load %s", qPrintable(parser.value(o.compare)));
                QCoreApplication::exit(1);
                return;
            }
            window.modelComparison()->blindBox()->setChecked(parser.isSet(o.blind));
            window.modelComparison()->compare();
        });
    if (parser.isSet(o.votes))
        // Queued after the pane's own onFinished, which builds the pairs to judge.
        QObject::connect(window.engine()->comparison(), &chatbench::ui::ComparisonService::finished,
            &window, [&window, &parser, &o] {
                using chatbench::Verdict;
                for (const QChar c : parser.value(o.votes))
                    window.modelComparison()->vote(c == 'a' ? Verdict::LeftBetter
                            : c == 'b'                      ? Verdict::RightBetter
                            : c == 'x'                      ? Verdict::BothBad
                                                            : Verdict::Tie);
            });
    if (parser.isSet(o.screenshot)) {
        const auto grabAndQuit = [&] {
            const bool saved = window.grab().save(parser.value(o.screenshot));
            if (!saved)
                qCritical("cannot write %s", qPrintable(parser.value(o.screenshot)));
            QCoreApplication::exit(saved ? 0 : 1);
        };
        if (!lines.isEmpty())
            QObject::connect(window.chatPane(), &chatbench::ui::ChatPane::turnFinished, &window,
                [&window, &lines, grabAndQuit, answered = 0]() mutable {
                    if (++answered == lines.size())
                        QTimer::singleShot(500, &window, grabAndQuit);
                });
        else if (parser.isSet(o.compare))
            QObject::connect(window.engine()->comparison(),
                &chatbench::ui::ComparisonService::finished, &window,
                [&window, grabAndQuit] { QTimer::singleShot(500, &window, grabAndQuit); });
        else {
            // Long enough for the engine thread to read the runs' metrics and the plots to draw.
            // The demo first prepares its corpora (and, uncached, its base model) on the engine
            // thread.
            const int delayMs = parser.isSet(o.demo) ? 30000
                : parser.isSet(o.workspace)          ? 2000
                                                     : 500;
            QTimer::singleShot(delayMs, &window, grabAndQuit);
        }
    }
    return app.exec();
}
