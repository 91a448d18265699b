#pragma once
// The UI's language: English (the source texts) or Traditional Chinese (translations/*.ts, built
// into .qm files and embedded under :/i18n). The system locale chooses at start-up unless
// View → Language chose one, which is kept in QSettings ("ui/language").

#include <QLocale>
#include <QString>
#include <QStringList>

class QComboBox;

namespace chatbench::ui {

enum class Language { System, English, TraditionalChinese };

// Traditional Chinese for a Chinese locale in Traditional script (zh_TW, zh_HK, zh_Hant, ...),
// English for anything else: the UI has no other translation.
Language languageOf(const QLocale &locale);
// What View → Language last chose (System when nothing was chosen).
Language languageChoice();
// Remembers the choice and applies it: every widget re-sets its texts on QEvent::LanguageChange.
void chooseLanguage(Language choice);
// Installs the translators of the choice (System: of the system locale) in the application.
// Returns false when the embedded translation cannot be loaded.
bool applyLanguage(Language choice);
// The language as its own speakers name it ("English", "繁體中文"); System in the UI's language.
QString languageName(Language language);
// Re-sets the texts of a combo box's first items in place (adding the missing ones), so its
// current index and item data survive a language change.
void setItemTexts(QComboBox *box, const QStringList &texts);

} // namespace chatbench::ui
