#include "new_run_dialog.h"

#include "chatbench/run_check.h"
#include "chatbench/run_config.h"
#include "download_dialog.h"
#include "training_settings_form.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <map>

namespace chatbench::ui {

NewRunDialog::NewRunDialog(const QString &workspace, HubSettings hub, QWidget *parent)
    : QDialog(parent), m_workspace(workspace), m_hub(std::move(hub))
{
    setWindowTitle(tr("New Run"));
    m_name = new QLineEdit(QStringLiteral("run"), this);
    m_corpus = folderField(tr("Corpus file"), true);
    m_tokenizer = folderField(tr("Tokenizer folder"), false);
    m_tokenizer->setPlaceholderText(
        tr("folder or repo id; empty: the pretrained model's, or one built from the corpus"));
    m_init = new QComboBox(this);
    m_init->addItems({ tr("From scratch"), tr("Fine-tune a pretrained model") });
    m_initFolder = folderField(tr("Pretrained model"), false);
    m_initFolder->setPlaceholderText(tr("folder or repo id, e.g. ckiplab/gpt2-base-chinese"));
    m_initFolder->setEnabled(false);
    m_preset = new QComboBox(this);
    m_preset->addItems({ "tiny", "small", "base" });
    m_kind = new QComboBox(this);
    m_kind->addItems({ tr("GPT-2"), tr("GPT-2 + Transformer encoder") });
    m_training = new TrainingSettingsForm(this);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setStyleSheet("color: #b00020");

    auto *form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Corpus"), m_corpus->parentWidget());
    form->addRow(tr("Tokenizer"), m_tokenizer->parentWidget());
    form->addRow(tr("Initialisation"), m_init);
    form->addRow(tr("Pretrained model"), m_initFolder->parentWidget());
    form->addRow(tr("Model"), m_kind);
    form->addRow(tr("Model size preset"), m_preset);
    form->addRow(m_training);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Create and start"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewRunDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewRunDialog::reject);
    connect(m_init, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        m_initFolder->setEnabled(i == 1);
        m_preset->setEnabled(i == 0); // a pretrained model brings its own sizes
    });
    // The encoder-decoder takes the history through its encoder: no sample layout to choose.
    connect(m_kind, qOverload<int>(&QComboBox::currentIndexChanged), this, [this](int i) {
        layoutChoice()->setEnabled(i == 0);
        if (i == 1)
            layoutChoice()->setCurrentIndex(0);
    });
}

QLineEdit *NewRunDialog::folderField(const QString &caption, bool file)
{
    auto *host = new QWidget(this);
    auto *row = new QHBoxLayout(host);
    row->setContentsMargins(0, 0, 0, 0);
    auto *edit = new QLineEdit(host);
    auto *browse = new QPushButton(tr("Browse…"), host);
    row->addWidget(edit, 1);
    row->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, caption, file] {
        const QString chosen = file ? QFileDialog::getOpenFileName(this, caption)
                                    : QFileDialog::getExistingDirectory(this, caption);
        if (!chosen.isEmpty())
            edit->setText(chosen);
    });
    return edit;
}

QComboBox *NewRunDialog::layoutChoice() const
{
    return m_training->layoutChoice();
}

QSpinBox *NewRunDialog::maxLenBox() const
{
    return m_training->maxLenBox();
}

QString NewRunDialog::runFolder() const
{
    const QString base = m_workspace.isEmpty() ? QDir::currentPath() : m_workspace;
    return QDir(base).absoluteFilePath(m_name->text().trimmed());
}

QString NewRunDialog::runJson() const
{
    RunConfig c;
    c.name = m_name->text().trimmed().toStdString();
    c.corpus = QFileInfo(m_corpus->text().trimmed()).absoluteFilePath().toStdString();
    // Folders absolute, repo ids as typed (the run pins them to their commit when it starts).
    const std::filesystem::path here = QDir::currentPath().toStdString();
    c.tokenizer = normalizeModelLocation(m_tokenizer->text().trimmed().toStdString(), here);
    if (m_init->currentIndex() == 1)
        c.init = normalizeModelLocation(m_initFolder->text().trimmed().toStdString(), here);
    c.preset = m_preset->currentText().toStdString();
    c.kind = m_kind->currentIndex() == 1 ? ModelKind::Gpt2Transformer : ModelKind::Gpt2;
    m_training->applyTo(c);
    return QString::fromStdString(c.toJsonText());
}

QString NewRunDialog::validationError() const
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty() || name.contains('/') || name.startsWith('.'))
        return tr("Name: give the run a name without '/' (it becomes its folder).");
    if (QFileInfo::exists(runFolder()))
        return tr("Name: %1 already exists; choose another name.").arg(runFolder());
    const QString corpus = m_corpus->text().trimmed();
    if (corpus.isEmpty())
        return tr("Corpus: choose a corpus file (chitchat text, LCCC JSON or JSONL).");
    if (!QFileInfo::exists(corpus))
        return tr("Corpus: %1: no such file.").arg(corpus);
    if (!QFileInfo(corpus).isFile())
        return tr("Corpus: %1: is a folder, not a corpus file.").arg(corpus);
    if (m_init->currentIndex() == 1 && m_initFolder->text().trimmed().isEmpty())
        return tr("Pretrained model: give a folder or a repo id (org/name).");
    const QString missing = missingRepo();
    if (!missing.isEmpty())
        return tr("%1 is not in the Hugging Face cache (%2): OK offers to download it.")
            .arg(missing, QString::fromStdString(m_hub.cacheDir.string()));
    // The engine's own set-up checks, so the dialog says what the run would fail with.
    RunConfig config;
    try {
        config = RunConfig::fromJsonText(runJson().toStdString(), "New Run", ".");
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    }
    const std::vector<RunProblem> problems = checkRunConfig(config, m_hub);
    if (problems.empty())
        return {};
    const std::map<std::string, QString> titles { { "data.corpus", tr("Corpus") },
        { "tokenizer.path", tr("Tokenizer") }, { "model.init", tr("Pretrained model") },
        { "data.max_len", tr("Max length") }, { "model", tr("Model") } };
    const auto title = titles.find(problems.front().field);
    const QString message = QString::fromStdString(problems.front().message);
    return title == titles.end() ? message : title->second + ": " + message;
}

QString NewRunDialog::shownError() const
{
    return m_message->text();
}

QString NewRunDialog::missingRepo() const
{
    QStringList fields { m_tokenizer->text().trimmed() };
    if (m_init->currentIndex() == 1)
        fields.prepend(m_initFolder->text().trimmed());
    for (const QString &text : fields) {
        const auto repo = RepoId::parse(text.toStdString());
        if (repo && !QFileInfo::exists(text) && !cachedSnapshot(m_hub, *repo))
            return text;
    }
    return {};
}

void NewRunDialog::accept()
{
    // A repo id the cache lacks: offer to fetch it, then check the settings again.
    const QString missing = missingRepo();
    if (!missing.isEmpty()
        && QMessageBox::question(this, tr("Download %1?").arg(missing),
               tr("%1 is not in the Hugging Face cache (%2). Download it now?")
                   .arg(missing, QString::fromStdString(m_hub.cacheDir.string())))
            == QMessageBox::Yes) {
        DownloadDialog download(m_hub, DownloadDialog::Purpose::Pick, missing, this);
        download.exec();
    }
    const QString problem = validationError();
    m_message->setText(problem);
    if (problem.isEmpty())
        QDialog::accept();
}

} // namespace chatbench::ui
