"""Translatable domain messages without Qt.

The domain core speaks English templates; the QGIS layer translates them to
the user's language (zh_CN shipped) and fills in the values. Marking a
template with :func:`QT_TRANSLATE_NOOP` lets ``pylupdate5`` collect it.
"""
from __future__ import annotations

CONTEXT = "domain"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pylupdate5 scans for
    """Return ``text`` unchanged; its only job is to mark it for translation."""
    return text


class Message:
    """An English template plus its values; ``str()`` gives the English text."""

    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values = values

    def render(self, translate=lambda template: template) -> str:
        """Text in the language of ``translate`` (identity: English); nested messages too."""
        values = {k: v.render(translate) if isinstance(v, Message) else v for k, v in self.values.items()}
        return translate(self.template).format(**values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Message({self.template!r}, {self.values!r})"


class WpzfError(Exception):
    """Base of the domain's errors: carries a translatable :class:`Message`."""

    def __init__(self, template: str, **values: object) -> None:
        self.message = Message(template, **values)
        super().__init__(str(self.message))
