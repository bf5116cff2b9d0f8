"""Processing provider ``wpzf`` and its algorithms (no qgis.gui, no ui/ imports)."""
