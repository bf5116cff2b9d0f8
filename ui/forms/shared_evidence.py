"""佐证资料 tab of the decision form on a shared workspace: the evidence files kept on the server.

The GeoPackage panel (ui/evidence_panel.py) shows files from the ``evidence/``
folder beside the workspace; a shared workspace keeps the bytes in the
database (``wpzf_evidence_file``). This panel lists the patch's evidence with
photo thumbnails, adds files (stored on the server) and opens a file by
writing a copy to a private temporary folder. Like the form, it opens the
workspace only for the moment it reads or adds.
"""
from __future__ import annotations

import tempfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Optional

from qgis.PyQt.QtCore import QCoreApplication, QSize, Qt, QUrl, pyqtSignal
from qgis.PyQt.QtGui import QDesktopServices, QIcon, QImage, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ...domain.casework.shared_evidence import add_shared_file, evidence_content, list_evidence
from ...domain.evidence.exif import PHOTO_SUFFIXES, PhotoInfo, read_photo_info
from ...domain.evidence.paths import safe_file_name
from ...domain.evidence.store import KINDS, PHOTO, AddResult, EvidenceRecord
from ...domain.messages import WpzfError
from ...i18n import error_text

THUMBNAIL = QSize(128, 96)
RECORD_ID_ROLE = Qt.UserRole + 1
_extracted: Optional[tempfile.TemporaryDirectory] = None
_THUMBNAILS: OrderedDict[str, QPixmap] = OrderedDict()
"""Photo thumbnails by SHA-256 (content-addressed: never stale), so a refresh downloads only new photos."""
_THUMBNAIL_CACHE_SIZE = 256


def _thumbnail(ws, sha256: str) -> Optional[QPixmap]:
    """The photo's thumbnail, downloaded and scaled once per QGIS session (least recently used dropped)."""
    if sha256 in _THUMBNAILS:
        _THUMBNAILS.move_to_end(sha256)
        return _THUMBNAILS[sha256]
    image = QImage.fromData(evidence_content(ws, sha256))
    pixmap = None if image.isNull() else \
        QPixmap.fromImage(image.scaled(THUMBNAIL, Qt.KeepAspectRatio, Qt.SmoothTransformation))
    _THUMBNAILS[sha256] = pixmap
    while len(_THUMBNAILS) > _THUMBNAIL_CACHE_SIZE:
        _THUMBNAILS.popitem(last=False)
    return pixmap


def _extract_folder() -> Path:
    """A private temporary folder for opened server files, removed when QGIS exits."""
    global _extracted
    if _extracted is None:
        _extracted = tempfile.TemporaryDirectory(prefix="wpzf-evidence-")
    return Path(_extracted.name)


class SharedEvidencePanel(QWidget):
    """Evidence of one patch of a shared workspace: list with thumbnails, add, open."""

    evidence_changed = pyqtSignal()

    def __init__(self, open_workspace: Callable, patch_fid: int, read_only: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.open_workspace = open_workspace
        self.patch_fid = patch_fid
        self.records: list[EvidenceRecord] = []
        self._read_only = read_only
        self.list = QListWidget(self)
        self.list.setObjectName("wpzfEvidenceList")
        self.list.setViewMode(QListView.IconMode)
        self.list.setIconSize(THUMBNAIL)
        self.list.setGridSize(QSize(THUMBNAIL.width() + 24, THUMBNAIL.height() + 40))
        self.list.setResizeMode(QListView.Adjust)
        self.list.setMovement(QListView.Static)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.kind = QComboBox(self)
        self.kind.addItems(KINDS)
        self.kind.setToolTip(self.tr("Kind of the files to add (资料类型)"))
        self.doc_number = QLineEdit(self)
        self.doc_number.setPlaceholderText(self.tr("Document number (optional)"))
        self.add_button = QPushButton(self.tr("Add files…"), self)
        self.add_button.clicked.connect(self.choose_and_add)
        self.open_button = QPushButton(self.tr("Open"), self)
        self.open_button.clicked.connect(self.open_selected)
        buttons = QHBoxLayout()
        for widget in (self.kind, self.doc_number, self.add_button):
            widget.setVisible(not read_only)
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.refresh()

    def tr(self, text: str) -> str:  # noqa: D102 - the class name is the translation context
        return QCoreApplication.translate("SharedEvidencePanel", text)

    @property
    def read_only(self) -> bool:
        return self._read_only

    def refresh(self) -> None:
        """Reload the list (and the photos' thumbnails) from the server."""
        self.list.clear()
        with self.open_workspace() as ws:
            self.records = list_evidence(ws, self.patch_fid)
            for record in self.records:
                self.list.addItem(self._item(ws, record))
        self._update_buttons()

    def _item(self, ws, record: EvidenceRecord) -> QListWidgetItem:
        icon = self.style().standardIcon(QStyle.SP_FileIcon)
        if record.is_photo or Path(record.original_name).suffix.lower() in PHOTO_SUFFIXES:
            pixmap = _thumbnail(ws, record.sha256)
            if pixmap is not None:
                icon = QIcon(pixmap)
        item = QListWidgetItem(icon, f"{record.kind} · {record.original_name}")
        item.setData(RECORD_ID_ROLE, record.id)
        lines = [record.original_name, self.tr("Kind: {kind}").format(kind=record.kind)]
        if record.doc_number:
            lines.append(self.tr("Document number: {number}").format(number=record.doc_number))
        lines.append(self.tr("Recorded by {who} at {when}").format(who=record.recorded_by or "",
                                                                   when=record.recorded_at or ""))
        lines.append(f"SHA-256 {record.sha256}")
        item.setToolTip("\n".join(lines))
        return item

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(not self._read_only)
        self.open_button.setEnabled(bool(self.list.selectedItems()))

    # -- actions ----------------------------------------------------------
    def add_files(self, paths, kind: Optional[str] = None, doc_number: str = "") -> tuple[list[AddResult], list[str]]:
        """Store ``paths`` on the server as evidence of the patch; (results, error texts)."""
        if self._read_only:
            return [], []
        kind = kind or self.kind.currentText()
        results, errors = [], []
        with self.open_workspace() as ws:
            for name in paths:
                path = Path(name)
                try:
                    photo = PhotoInfo()
                    if kind == PHOTO and path.suffix.lower() in PHOTO_SUFFIXES:
                        try:
                            photo = read_photo_info(path)
                        except WpzfError:
                            photo = PhotoInfo()  # still evidence, only without EXIF
                    results.append(add_shared_file(ws, self.patch_fid, path, kind, doc_number=doc_number or None,
                                                   photo=photo))
                except WpzfError as exc:
                    errors.append(error_text(exc))
                except Exception as exc:  # noqa: BLE001 - a database refusal (e.g. another town): say which file
                    errors.append(f"{path.name}: {exc}")
        self.refresh()
        if any(r.created for r in results):
            self.evidence_changed.emit()
        return results, errors

    def choose_and_add(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add evidence files"), "",
            self.tr("Photos and documents (*.jpg *.jpeg *.png *.tif *.tiff *.pdf *.doc *.docx *.ofd);;All files (*)"))
        if not paths:
            return
        results, errors = self.add_files(paths, self.kind.currentText(), self.doc_number.text().strip())
        known = sum(not r.created for r in results)
        if known:
            errors.insert(0, self.tr("{count} file(s) were already recorded for this patch.").format(count=known))
        if errors:
            QMessageBox.warning(self, self.tr("Add evidence files"), "\n".join(errors))

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

    def open_selected(self) -> None:
        for path in self.selected_paths():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
