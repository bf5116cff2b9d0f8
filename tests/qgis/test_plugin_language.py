"""The plugin speaks QGIS's language, whatever spelling of Chinese QGIS reports.

Issue 15 item 1: QGIS's Options dialog stores ``locale/userLocale=zh-Hans``; the plugin looked for
wpzf_zh-Hans.qm and showed English. Qt's Save/Cancel in the plugin's forms stayed English as well.
"""
from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication

from wpzf.i18n import catalogue_names, install_translator, installed_catalogues, remove_translator

MENU_TITLE = ("MainMenu", "WPZF Land Enforcement")  # ui/main_menu.py


@pytest.fixture()
def qgis_language():
    """Set QGIS's language the way its Options dialog does; restore English afterwards."""
    settings = QgsSettings()
    saved = {k: settings.value(k) for k in ("locale/overrideFlag", "locale/userLocale")}

    def use(locale: str) -> None:
        settings.setValue("locale/overrideFlag", True)
        settings.setValue("locale/userLocale", locale)

    yield use
    for key, value in saved.items():
        settings.remove(key) if value is None else settings.setValue(key, value)
    remove_translator()


@pytest.mark.parametrize("locale", ["zh-Hans", "zh_CN", "zh", "zh-Hans-CN", "ZH-hans"])
def test_every_simplified_chinese_spelling_uses_the_zh_cn_catalogue(locale):
    assert catalogue_names(locale) == (["zh_CN"], False)


@pytest.mark.parametrize("locale", ["zh-Hant", "zh_TW", "zh_HK", "zh-Hant-TW"])
def test_traditional_chinese_falls_back_to_simplified_with_a_note(locale):
    assert catalogue_names(locale) == (["zh_CN"], True)


def test_other_languages_try_the_full_name_then_the_language():
    assert catalogue_names("de_DE") == (["de_DE", "de"], False)
    assert catalogue_names("pt-BR") == (["pt_BR", "pt"], False)


def test_qgis_options_zh_hans_setting_turns_the_plugin_chinese(qgis_language):
    qgis_language("zh-Hans")
    assert QgsApplication.locale() == "zh-Hans"  # what QGIS 3.22 itself reports (checked in the desktop too)
    assert install_translator()
    assert QCoreApplication.translate(*MENU_TITLE) == "卫片执法"
    qgis_language("en_US")
    assert not install_translator()
    assert QCoreApplication.translate(*MENU_TITLE) == "WPZF Land Enforcement"


def test_traditional_chinese_note_is_logged(qgis_language):
    logged = []

    def collect(message, tag, level):
        logged.append((tag, message))

    QgsApplication.messageLog().messageReceived.connect(collect)
    try:
        qgis_language("zh-Hant")
        assert install_translator()
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(collect)
    assert QCoreApplication.translate(*MENU_TITLE) == "卫片执法"
    notes = [m for tag, m in logged if tag == "WPZF"]
    assert notes == ["卫片执法插件没有繁体中文翻译，zh-Hant 下显示简体中文。"]


def test_qt_buttons_of_a_plugin_form_follow_qgis_chinese(qgis_language, tmp_path, qtbot, wpzf_processing):
    """The decision form's QDialogButtonBox shows 保存/取消 in a zh-Hans QGIS (Qt's own strings)."""
    from qgis.PyQt.QtWidgets import QDialogButtonBox
    from reporting_district import build

    from wpzf.ui.forms import DecisionForm

    path = build(tmp_path / "ws.gpkg")
    qgis_language("zh-Hans")
    assert install_translator()
    catalogues = installed_catalogues()
    assert catalogues[-1].endswith("wpzf_zh_CN.qm")  # the plugin's catalogue is looked up first
    form = DecisionForm(path, 1, user="张三", confirm=lambda *args: True)
    qtbot.addWidget(form)
    assert form.buttons.button(QDialogButtonBox.Save).text() == "保存"
    assert form.buttons.button(QDialogButtonBox.Cancel).text() == "取消"
    remove_translator()
    assert installed_catalogues() == []
    english = DecisionForm(path, 1, user="张三", confirm=lambda *args: True)
    qtbot.addWidget(english)
    assert english.buttons.button(QDialogButtonBox.Save).text() == "Save"  # removed again on unload


def test_plugin_unload_removes_its_translators(iface, qgis_language):
    import wpzf

    qgis_language("zh-Hans")
    plugin = wpzf.classFactory(iface)
    assert installed_catalogues() and QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    plugin.unload()
    assert installed_catalogues() == []
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
