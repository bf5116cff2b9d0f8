"""Shared plumbing of WPZF algorithms: translation, icon, error reporting."""
from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ...i18n import error_text
from ...resources_path import icon_path


class WpzfAlgorithm(QgsProcessingAlgorithm):
    """Base of every WPZF algorithm.

    ``tr`` uses the concrete class name as the translation context, which is
    the context ``pylupdate5`` gives to ``self.tr(...)`` calls written in that
    class — so subclasses call ``self.tr`` only in their own methods.
    """

    def tr(self, text: str) -> str:
        return QCoreApplication.translate(type(self).__name__, text)

    def createInstance(self):  # noqa: N802
        return type(self)()

    def icon(self) -> QIcon:
        return QIcon(str(icon_path("wpzf.svg")))

    @staticmethod
    def fail(exc: BaseException) -> QgsProcessingException:
        """A Processing exception carrying the user's-language text of ``exc``."""
        return QgsProcessingException(error_text(exc))
