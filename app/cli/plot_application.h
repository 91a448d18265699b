#pragma once
// The QApplication the report's QCustomPlot figures need in chatbench-cli (demo, report). Without
// a display it uses Qt's offscreen platform, so the commands run on a headless server.

#include <QApplication>
#include <cstdlib>

namespace chatbench::cli {

class PlotApplication
{
private:
    // Runs as m_argc's initialiser: the platform must be chosen before QApplication exists.
    static int chooseOffscreenWithoutDisplay()
    {
        if (!std::getenv("QT_QPA_PLATFORM") && !std::getenv("DISPLAY")
            && !std::getenv("WAYLAND_DISPLAY"))
            setenv("QT_QPA_PLATFORM", "offscreen", 1);
        return 1;
    }

    // QApplication keeps references to argc and argv for its whole life.
    int m_argc = chooseOffscreenWithoutDisplay();
    char m_name[14] = "chatbench-cli";
    char *m_argv[2] = { m_name, nullptr };
    QApplication m_app { m_argc, m_argv };
};

} // namespace chatbench::cli
