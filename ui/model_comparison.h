#pragma once
// The Model Comparison pane: a prompt set (typed, or loaded from a file; chatbench/prompt_set.h
// parses both forms: prompt<TAB>reference lines, or dialogues whose last utterance is the
// reference), answered by every model of the Chat pane; a side-by-side table of the replies, per
// model distinct-1/2, BLEU-2/4 (when there are references) and mean length, a blind A/B mode
// with votes and a tally, and Markdown/CSV exports.

#include "engine_types.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTextBrowser;

namespace chatbench::ui {

class ModelComparison : public QWidget
{
    Q_OBJECT

public:
    explicit ModelComparison(QWidget *parent = nullptr);

    void setPromptText(const QString &text);
    QString promptText() const;
    // What Load prompts… does after its dialog: the file's text becomes the prompt set. A file
    // that cannot be read, is not UTF-8 or holds no prompt is reported with error() and leaves
    // the prompts as they were.
    bool loadPromptFile(const QString &file);
    void begin(const ChatModelSpecs &specs, const chatbench::PromptSet &prompts);
    QTableWidget *repliesTable() const { return m_replies; }
    QTableWidget *metricsTable() const { return m_metrics; }
    QString toMarkdown() const;
    QString toCsv() const;
    // Blind A/B: the vote for the current pair (0 = left better, 1 = right, 2 = tie).
    void vote(int choice);
    QString tally() const;

public Q_SLOTS:
    // What the Compare button does: asks for the prompt set to be answered (compareRequested),
    // or reports why the text is no prompt set (error).
    void compare();
    void onReply(int prompt, int model, const QString &reply);
    void onMetrics(int model, const chatbench::TextMetrics &metrics);
    void onFinished();

Q_SIGNALS:
    void compareRequested(const chatbench::PromptSet &prompts);
    void stopRequested();
    // what: the action that failed; message: "FILE: what is wrong".
    void error(const QString &what, const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void showPair();
    void exportTo();
    void retranslate();

    QPlainTextEdit *m_prompts = nullptr;
    QPushButton *m_run = nullptr, *m_stop = nullptr, *m_load = nullptr, *m_export = nullptr;
    QPushButton *m_aBetter = nullptr, *m_bBetter = nullptr, *m_tie = nullptr;
    QTableWidget *m_replies = nullptr;
    QTableWidget *m_metrics = nullptr;
    QCheckBox *m_blind = nullptr;
    QWidget *m_abPanel = nullptr;
    QTextBrowser *m_pair = nullptr;
    QLabel *m_tally = nullptr;
    QStringList m_names;
    QStringList m_promptList;
    QVector<QStringList> m_answers; // [prompt][model]
    QVector<bool> m_swapped; // per prompt: is model 0 shown on the right?
    int m_current = 0; // blind A/B prompt
    QVector<int> m_wins; // per model (first two)
    int m_ties = 0;
};

} // namespace chatbench::ui
