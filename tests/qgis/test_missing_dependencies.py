"""Without shapely 2 the plugin loads a stand-in that names the packages to install."""
from __future__ import annotations

import importlib


def test_missing_shapely_gives_install_instruction(iface, monkeypatch):
    import wpzf
    from wpzf import dependencies

    real_import = importlib.import_module

    def fake_import(name, *args):
        if name == "shapely":
            raise ImportError("No module named 'shapely'")
        return real_import(name, *args)

    monkeypatch.setattr(dependencies.importlib, "import_module", fake_import)
    plugin = wpzf.classFactory(iface)
    assert type(plugin).__name__ == "MissingDependenciesPlugin"
    assert "shapely>=2,<2.1" in plugin.message() and "pip install" in plugin.message()
    plugin.initGui()
    plugin.unload()
