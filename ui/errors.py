"""Every exception the user interface catches leaves its traceback in QGIS's message log (tag "WPZF").

The forms, docks and menu actions catch errors so that QGIS keeps running and
the user sees one clear sentence (a message bar, a form's error line). That
sentence is not enough to find a bug later: :func:`log_exception` writes the
whole traceback to View → Panels → Log Messages → WPZF, where a technician can
copy it into a bug report. Tracebacks hold source lines and the error text,
never local variables, so no password reaches the log.
"""
from __future__ import annotations

import traceback

from qgis.core import Qgis, QgsMessageLog

TAG = "WPZF"


def log_exception(exc: BaseException, where: str = "", level=Qgis.Warning) -> None:
    """Write ``exc``'s traceback to the QGIS message log under :data:`TAG`; ``where`` says what failed."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
    QgsMessageLog.logMessage(f"{where}\n{text}" if where else text, TAG, level)
