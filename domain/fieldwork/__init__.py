"""外业踏勘 round trip: a QField-ready package out, the visits and photos it brings back in.

Plain Python (no Qt): what a package holds (:mod:`.layout`), its manifest
(:mod:`.manifest`), the navigation files for phone apps (:mod:`.navigation`),
the patches chosen for it (:mod:`.selection`), reading a package as it comes
back from the device (:mod:`.package`), the import decided as pure functions
(:mod:`.plan`) and carried out through the casework and evidence stores
(:mod:`.store`). The QGIS project itself is built by ``adapters/qfield_project.py``.
"""
