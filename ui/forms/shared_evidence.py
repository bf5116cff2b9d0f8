"""佐证资料 tab of the decision form on a shared workspace: the evidence files kept on the server.

The GeoPackage panel (ui/evidence_panel.py) shows files from the ``evidence/``
folder beside the workspace; a shared workspace keeps the bytes in the
database (``wpzf_evidence_file``). This panel is that panel with the storage
swapped: it lists and adds through the server, shows photo thumbnails fetched
once per content hash, and opens a file by writing a copy to a private
temporary folder. Like the form, it opens the workspace only for the moment
it reads or adds.
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Optional

from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QStyle

from ...domain.casework.shared_evidence import add_shared_file, evidence_content
from ...domain.evidence.exif import PHOTO_SUFFIXES, PhotoInfo
from ...domain.evidence.paths import safe_file_name
from ...domain.evidence.store import AddResult, EvidenceRecord
from ..evidence_panel import RECORD_ID_ROLE, EvidencePanel, ThumbnailCache

_extracted: Optional[tempfile.TemporaryDirectory] = None
_thumbnails = ThumbnailCache()
"""By SHA-256 (content-addressed: never stale), so a refresh downloads only new photos."""


def _extract_folder() -> Path:
    """A private temporary folder for opened server files, removed when QGIS exits."""
    global _extracted
    if _extracted is None:
        _extracted = tempfile.TemporaryDirectory(prefix="wpzf-evidence-")
    return Path(_extracted.name)


class SharedEvidencePanel(EvidencePanel):
    """Evidence of one patch of a shared workspace: list with thumbnails, add, open."""

    STORE_ERRORS = (Exception,)  # a database refusal (e.g. another town's patch): say which file

    def __init__(self, open_workspace: Callable, patch_fid: int, read_only: bool = False, parent=None) -> None:
        self._open_workspace = open_workspace  # before the base class loads the list
        super().__init__("", patch_fid, read_only=read_only, parent=parent)
        self.folder_button.hide()  # no folder: the files are in the database

    # -- storage ------------------------------------------------------------------------------
    def open_workspace(self):
        return self._open_workspace()

    def store_file(self, ws, path: Path, kind: str, doc_number: Optional[str], photo: PhotoInfo) -> AddResult:
        return add_shared_file(ws, self.patch_fid, path, kind, doc_number=doc_number, photo=photo)

    def _icon(self, ws, record: EvidenceRecord) -> QIcon:
        if record.is_photo or Path(record.original_name).suffix.lower() in PHOTO_SUFFIXES:
            pixmap = _thumbnails.get_data(record.sha256, lambda: evidence_content(ws, record.sha256))
            if pixmap is not None:
                self._thumbnail_ids.add(record.id)
                return QIcon(pixmap)
        return self.style().standardIcon(QStyle.SP_FileIcon)

    def extract(self, record: EvidenceRecord) -> Path:
        """Write a copy of a stored file to the private temporary folder; its path."""
        folder = _extract_folder() / record.sha256[:12]
        folder.mkdir(exist_ok=True)
        target = folder / safe_file_name(record.original_name)
        if not target.is_file():
            with self.open_workspace() as ws:
                target.write_bytes(evidence_content(ws, record.sha256))
        return target

    def selected_paths(self) -> list[Path]:
        """Local copies of the selected files."""
        wanted = {item.data(RECORD_ID_ROLE) for item in self.list.selectedItems()}
        return [self.extract(r) for r in self.records if r.id in wanted]
