"""佐证资料 of one patch: thumbnails of its photos, icons for documents, add / open / show folder.

Embedded by the decision forms. The panel opens the workspace only for the
moment it reads or adds evidence, so it never holds a connection another part
of the plugin is writing through. Locked batches still accept new evidence in
the database (it is an append); ``read_only`` is for forms that must not offer
it anyway.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from qgis.PyQt.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QSize, Qt, QUrl, pyqtSignal
from qgis.PyQt.QtGui import QDesktopServices, QIcon, QImageReader, QPixmap
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

from ..domain.evidence.exif import PHOTO_SUFFIXES, PhotoInfo, read_photo_info
from ..domain.evidence.paths import EvidencePathError, safe_component
from ..domain.evidence.store import KINDS, PHOTO, AddResult, EvidenceRecord, add_file, list_evidence, resolve
from ..domain.messages import WpzfError
from ..domain.workspace.store import EVIDENCE_DIR, Workspace
from ..i18n import error_text

THUMBNAIL = QSize(128, 96)
RELATIVE_PATH_ROLE = Qt.UserRole
RECORD_ID_ROLE = Qt.UserRole + 1
_CACHE_SIZE = 256


class ThumbnailCache:
    """Scaled photo thumbnails by SHA-256: decoding large JPEGs once per session is enough."""

    def __init__(self, size: QSize = THUMBNAIL, capacity: int = _CACHE_SIZE) -> None:
        self.size = size
        self.capacity = capacity
        self._items: OrderedDict[str, QPixmap] = OrderedDict()

    def get(self, path: Path, key: str) -> QPixmap | None:
        """Thumbnail of the image at ``path`` (decoded at reduced size), None if unreadable."""
        return self._cached(key, lambda: QImageReader(str(path)))

    def get_data(self, key: str, content: Callable[[], bytes]) -> QPixmap | None:
        """Thumbnail of an image held elsewhere (a server), ``content()`` fetched only when not cached."""
        def reader() -> QImageReader:
            buffer = QBuffer()
            buffer.setData(QByteArray(content()))
            buffer.open(QIODevice.ReadOnly)
            reader = QImageReader(buffer)
            reader.wpzf_buffer = buffer  # the reader reads from it: keep it alive as long
            return reader
        return self._cached(key, reader)

    def _cached(self, key: str, open_reader: Callable[[], QImageReader]) -> QPixmap | None:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        reader = open_reader()
        reader.setAutoTransform(True)  # EXIF orientation of phone photos
        full = reader.size()
        if not full.isValid():
            return None
        reader.setScaledSize(full.scaled(self.size, Qt.KeepAspectRatio))
        image = reader.read()
        if image.isNull():
            return None
        pixmap = QPixmap.fromImage(image)
        self._items[key] = pixmap
        if len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return pixmap


_thumbnails = ThumbnailCache()


class EvidencePanel(QWidget):
    """Evidence list of one patch with thumbnails; add, open and show-folder buttons."""

    evidence_changed = pyqtSignal()
    """Emitted after evidence was added (forms refresh their counts)."""
    STORE_ERRORS: tuple[type[BaseException], ...] = ()
    """Errors other than WpzfError that refuse one file and are reported with its name."""

    def __init__(self, workspace_path, patch_fid: int | None, read_only: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.workspace_path = Path(workspace_path)
        self.patch_fid: int | None = None
        self.records: list[EvidenceRecord] = []
        self._read_only = read_only
        self._last_folder = ""
        self._thumbnail_ids: set[int] = set()
        self.setAcceptDrops(True)

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
        self.folder_button = QPushButton(self.tr("Show folder"), self)
        self.folder_button.clicked.connect(self.show_folder)

        buttons = QHBoxLayout()
        for widget in (self.kind, self.doc_number, self.add_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.folder_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.set_read_only(read_only)
        self.set_patch(patch_fid)

    def tr(self, text: str) -> str:  # noqa: D102 - the class name is the translation context
        return QCoreApplication.translate("EvidencePanel", text)

    # -- state ------------------------------------------------------------
    def set_read_only(self, read_only: bool) -> None:
        """Hide the add controls (a locked batch, or a form that only shows)."""
        self._read_only = read_only
        for widget in (self.kind, self.doc_number, self.add_button):
            widget.setVisible(not read_only)
        self._update_buttons()

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_patch(self, fid: int | None) -> None:
        """Show the evidence of patch ``fid`` (None: nothing)."""
        self.patch_fid = fid
        self.refresh()

    # -- storage (a subclass keeps the files elsewhere: ui/forms/shared_evidence.py) --------------
    def open_workspace(self):
        return Workspace.open(self.workspace_path)

    def store_file(self, ws, path: Path, kind: str, doc_number: str | None, photo: PhotoInfo) -> AddResult:
        return add_file(ws, self.patch_fid, path, kind, doc_number=doc_number, photo=photo)

    def refresh(self) -> None:
        """Reload the list from the workspace."""
        self.list.clear()
        self.records = []
        self._thumbnail_ids = set()
        if self.patch_fid is not None:
            with self.open_workspace() as ws:
                self.records = list_evidence(ws, self.patch_fid)
                for record in self.records:
                    self.list.addItem(self._item(ws, record))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_patch = self.patch_fid is not None
        self.add_button.setEnabled(has_patch and not self._read_only)
        self.open_button.setEnabled(bool(self.list.selectedItems()))
        self.folder_button.setEnabled(has_patch)

    def _item(self, ws: Workspace, record: EvidenceRecord) -> QListWidgetItem:
        item = QListWidgetItem(self._icon(ws, record), f"{record.kind} · {record.original_name}")
        item.setData(RELATIVE_PATH_ROLE, record.relative_path)
        item.setData(RECORD_ID_ROLE, record.id)
        lines = [record.original_name, self.tr("Kind: {kind}").format(kind=record.kind)]
        if record.doc_number:
            lines.append(self.tr("Document number: {number}").format(number=record.doc_number))
        if record.taken_at:
            lines.append(self.tr("Taken: {time}").format(time=record.taken_at))
        if record.bearing is not None:
            lines.append(self.tr("Bearing: {bearing:.0f}°").format(bearing=record.bearing))
        if record.note:
            lines.append(record.note)
        lines.append(self.tr("Recorded by {who} at {when}").format(who=record.recorded_by or "", when=record.recorded_at or ""))
        lines.append(f"SHA-256 {record.sha256}")
        item.setToolTip("\n".join(lines))
        return item

    def _icon(self, ws: Workspace, record: EvidenceRecord) -> QIcon:
        style = self.style()
        try:
            path = resolve(ws, record.relative_path)
        except EvidencePathError:
            return style.standardIcon(QStyle.SP_MessageBoxCritical)
        if not path.is_file():
            return style.standardIcon(QStyle.SP_MessageBoxWarning)
        if record.is_photo or path.suffix.lower() in PHOTO_SUFFIXES:
            pixmap = _thumbnails.get(path, record.sha256)
            if pixmap is not None:
                self._thumbnail_ids.add(record.id)
                return QIcon(pixmap)
        return style.standardIcon(QStyle.SP_FileIcon)

    def thumbnail_ids(self) -> set[int]:
        """Evidence ids whose item shows a decoded photo thumbnail (not a generic icon)."""
        return set(self._thumbnail_ids)

    # -- actions ----------------------------------------------------------
    def add_files(self, paths, kind: str | None = None, doc_number: str = "") -> tuple[list[AddResult], list[str]]:
        """Add ``paths`` as evidence of the current patch; (results, error texts)."""
        if self.patch_fid is None or self._read_only:
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
                            photo = PhotoInfo()  # the file is still evidence, only without EXIF
                    results.append(self.store_file(ws, path, kind, doc_number or None, photo))
                except WpzfError as exc:
                    errors.append(error_text(exc))
                except self.STORE_ERRORS as exc:
                    errors.append(f"{path.name}: {exc}")
        self.refresh()
        if any(r.created for r in results):
            self.evidence_changed.emit()
        return results, errors

    def choose_and_add(self) -> None:
        """Ask for files, add them with the chosen kind and document number, report failures."""
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add evidence files"), self._last_folder,
            self.tr("Photos and documents (*.jpg *.jpeg *.png *.tif *.tiff *.pdf *.doc *.docx *.ofd);;All files (*)"))
        if not paths:
            return
        self._last_folder = str(Path(paths[0]).parent)
        results, errors = self.add_files(paths, self.kind.currentText(), self.doc_number.text().strip())
        known = sum(not r.created for r in results)
        if known:
            errors.insert(0, self.tr("{count} file(s) were already recorded for this patch.").format(count=known))
        if errors:
            QMessageBox.warning(self, self.tr("Add evidence files"), "\n".join(errors))

    def selected_paths(self) -> list[Path]:
        """Absolute paths of the selected items (only those safely inside evidence/)."""
        out = []
        with Workspace.open(self.workspace_path) as ws:
            for item in self.list.selectedItems():
                try:
                    out.append(resolve(ws, item.data(RELATIVE_PATH_ROLE)))
                except EvidencePathError:
                    continue
        return out

    def open_selected(self) -> None:
        """Open the selected files with the system viewer."""
        for path in self.selected_paths():
            if path.is_file():
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def patch_folder(self) -> Path:
        """The folder that holds this patch's evidence (evidence/ itself before the first file)."""
        evidence_dir = self.workspace_path.parent / EVIDENCE_DIR
        if self.records:
            return (evidence_dir / self.records[0].relative_path).parent
        if self.patch_fid is not None:
            with Workspace.open(self.workspace_path) as ws:
                row = ws.conn.execute('SELECT "JCBH" FROM jctb WHERE fid = ?', (self.patch_fid,)).fetchone()
            folder = evidence_dir / safe_component(row[0]) if row and row[0] else evidence_dir
            if folder.is_dir():
                return folder
        return evidence_dir

    def show_folder(self) -> None:
        """Open the patch's evidence folder in the file manager."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.patch_folder())))

    # -- drag and drop ------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self._read_only and self.patch_fid is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            _, errors = self.add_files(paths)
            if errors:
                QMessageBox.warning(self, self.tr("Add evidence files"), "\n".join(errors))
