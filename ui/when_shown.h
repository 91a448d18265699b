#pragma once

// Work a hidden widget puts off until it is shown. A pane behind another still receives data
// many times a second (the plots while the chat is in sight, the chat and the probe table while
// the monitor is): laying it out or drawing it for nobody cost the GUI thread 10-20 ms at a
// time. The widget asks now() before the work and, in its showEvent, does it if owed().

#include <QWidget>
#include <utility>

namespace chatbench::ui {

class WhenShown
{
public:
    // Whether `widget` is in sight, so the work can be done now; if not, the work is owed.
    bool now(const QWidget *widget)
    {
        if (widget->isVisible())
            return true;
        m_owed = true;
        return false;
    }

    // Whether work was put off while hidden; true once.
    bool owed() { return std::exchange(m_owed, false); }

private:
    bool m_owed = false;
};

} // namespace chatbench::ui
