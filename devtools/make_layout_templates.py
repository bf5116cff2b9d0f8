"""Write the shipped atlas layout templates printing/templates/patch_map_a4.qpt and patch_map_a3.qpt.

Run once after changing printing/atlas_layout.py and commit the files:
``QT_QPA_PLATFORM=offscreen .venv/bin/python devtools/make_layout_templates.py``.
The templates hold the items only; the plugin binds the coverage layer and
the map layers when it loads one (printing.atlas_layout.atlas_layout).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from qgis.core import QgsApplication, QgsProject, QgsReadWriteContext  # noqa: E402
from wpzf_bootstrap import register_plugin_package  # noqa: E402


def main() -> int:
    app = QgsApplication([], False)
    app.initQgis()
    register_plugin_package()
    from wpzf.printing.atlas_layout import build_atlas_layout, template_path
    from wpzf.printing.page_frame import PAPERS

    project = QgsProject.instance()
    for paper in PAPERS:
        layout = build_atlas_layout(project, paper)
        path = template_path(paper)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not layout.saveAsTemplate(str(path), QgsReadWriteContext()):
            print(f"cannot write {path}", file=sys.stderr)
            return 1
        print(path)
    os._exit(0)  # skip QGIS's teardown, which crashes on objects Python still holds


if __name__ == "__main__":
    sys.exit(main())
