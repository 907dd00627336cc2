"""Qt's own texts in Chinese: standard buttons (确定/取消), "显示详细信息…", file dialogs, calendar names."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_translators: list[QTranslator] = []  # kept alive for the life of the application


def install_qt_chinese() -> bool:
    """Load Qt's Simplified Chinese translation into the running application; False if it is not shipped."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    # Calendar pop-ups of the date fields name months and weekdays by the default locale: Chinese on any
    # Windows, not only a Chinese-language one.
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if _translators:
        return True
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    _translators.append(translator)
    return True
