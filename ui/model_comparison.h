#pragma once
// The Model Comparison pane: a prompt set (typed, or loaded from a file; chatbench/prompt_set.h
// parses both forms: prompt<TAB>reference lines, or dialogues whose last utterance is the
// reference), answered by every model of the Chat pane; a side-by-side table of the replies
// under each model's name and checkpoint, per model distinct-1/2, BLEU-2/4 (when there are
// references) and mean length, progress with an estimate of the time left, and exports
// (Markdown, CSV, JSON: chatbench/comparison_record.h).
//
// Blind A/B, chosen before Compare, judges the replies as Chatbot Arena does: for each prompt,
// every pair of models, each pair's left/right order drawn from a seeded generator. The names,
// the metrics and the reply lengths stay hidden until the last vote; then the reveal shows each
// model's win rate with a Wilson 95% interval (and Bradley–Terry ratings for more than two
// models), and the named tables appear. Keys on the judging panel: ← A, → B, ↓ tie, ↑ both bad,
// Backspace undo. The votes are saved as they come (setVotesFolder).

#include "chatbench/comparison_record.h"
#include "engine_types.h"

#include <QElapsedTimer>
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
    // A comparison starts: the tables are laid out; blind A/B applies when its box is ticked now.
    void begin(const ChatModelSpecs &specs, const chatbench::PromptSet &prompts);
    QTableWidget *repliesTable() const { return m_replies; }
    QTableWidget *metricsTable() const { return m_metrics; }
    QCheckBox *blindBox() const { return m_blind; }
    QWidget *judgingPanel() const { return m_judging; }
    // "n / N prompts · about M:SS left" while running; what was kept when stopped.
    QString progressText() const;

    // The left/right order of the next comparison's pairs comes from this seed (the default is
    // random); the seed is saved with the votes.
    void setJudgingSeed(quint64 seed)
    {
        m_nextSeed = seed;
        m_seedSet = true;
    }
    // Blind votes are written to FOLDER/blind-TIME.json (JSON, as exportTo writes it) after
    // every vote and undo: a long judging survives a crash, and the votes stay with the
    // comparison without an export. Empty (the default): not written.
    void setVotesFolder(const QString &folder) { m_votesFolder = folder; }
    QString votesFile() const { return m_votesFile; } // empty before the first blind vote
    bool judging() const; // a blind comparison waits for votes
    bool revealed() const { return m_revealed; }
    // The vote on the pair shown; false when no pair is waiting. The last vote reveals.
    bool vote(chatbench::Verdict verdict);
    // Takes back the last vote (before the reveal); false when there is none to take back.
    bool undo();
    // What the judging panel shows: the prompt, replies A and B, the progress ("12 / 40").
    QString judgingText() const;
    QString judgingProgress() const;
    QString revealText() const; // empty until the reveal

    // Everything the pane holds: models, dialogues with references, replies, metrics, votes.
    const chatbench::ComparisonRecord &record() const { return m_record; }
    QString toMarkdown() const;
    QString toCsv() const;
    QString toJson() const;
    // The format by the extension (.json, .csv, else Markdown), written atomically; a failure is
    // reported with error().
    bool exportTo(const QString &file);

public Q_SLOTS:
    // What the Compare button does: asks for the prompt set to be answered (compareRequested),
    // or reports why the text is no prompt set (error).
    void compare();
    void onModelsLoaded(const chatbench::ui::LoadedModels &models);
    void onProgress(int done, int total);
    void onReply(int prompt, int model, const QString &reply);
    void onMetrics(int model, const chatbench::TextMetrics &metrics);
    void onFinished(bool cancelled = false);

Q_SIGNALS:
    void compareRequested(const chatbench::PromptSet &prompts);
    void stopRequested();
    // what: the action that failed; message: "FILE: what is wrong".
    void error(const QString &what, const QString &message);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildJudgingPanel();
    void startJudging();
    void showPair();
    void reveal();
    void setVotingVisible(bool visible); // else the reveal
    void setNamedResultsVisible(bool visible);
    void saveVotes();
    bool write(const QString &file, const QString &what);
    void setHeaders();
    QString modelLabel(int model) const;
    void chooseExportFile();
    void retranslate();

    QPlainTextEdit *m_prompts = nullptr;
    QPushButton *m_run = nullptr, *m_stop = nullptr, *m_load = nullptr, *m_export = nullptr;
    QCheckBox *m_blind = nullptr;
    QLabel *m_progress = nullptr;
    QTableWidget *m_replies = nullptr;
    QTableWidget *m_metrics = nullptr;

    QWidget *m_judging = nullptr;
    QTextBrowser *m_context = nullptr, *m_replyA = nullptr, *m_replyB = nullptr;
    QLabel *m_titleA = nullptr, *m_titleB = nullptr, *m_judgeProgress = nullptr;
    QPushButton *m_aBetter = nullptr, *m_bBetter = nullptr, *m_tie = nullptr, *m_bothBad = nullptr,
                *m_undo = nullptr;
    QTextBrowser *m_reveal = nullptr;

    chatbench::ComparisonRecord m_record; // its votes: those cast so far
    std::vector<chatbench::PairVote> m_pairs; // the blind schedule; verdicts unused
    bool m_running = false, m_cancelled = false, m_revealed = false;
    int m_done = 0, m_total = 0; // prompts
    QElapsedTimer m_elapsed;
    QString m_votesFolder, m_votesFile;
    quint64 m_nextSeed = 0;
    bool m_seedSet = false;
};

} // namespace chatbench::ui
