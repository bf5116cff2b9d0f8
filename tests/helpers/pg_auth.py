"""One Basic auth configuration in QGIS's auth database, as a technician stores a login (tests' helper)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


def basic_authcfg(name: str, user: str, password: str) -> str:
    """The id of a new Basic auth configuration holding ``user``/``password`` (master password set once)."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("wpzf-master", True)
    config = QgsAuthMethodConfig()
    config.setMethod("Basic")
    config.setName(name)
    config.setConfig("username", user)
    config.setConfig("password", password)
    stored = manager.storeAuthenticationConfig(config)
    assert stored if isinstance(stored, bool) else stored[0], f"auth configuration {name} not stored"
    return config.id() if isinstance(stored, bool) else stored[1].id()


@contextmanager
def saved_connection(name: str, params: dict, user: str | None = None, password: str | None = None) -> Iterator[str]:
    """A QGIS PostgreSQL connection ``name`` to ``params``' database whose login lives in an authcfg (no stored
    password, as the README tells technicians to save it); yields the authcfg id, removes both afterwards."""
    from qgis.core import QgsApplication, QgsSettings

    settings = QgsSettings()
    authcfg = basic_authcfg(name, user or params["user"], password or params["password"])
    for key, value in (("host", params["host"]), ("port", str(params["port"])), ("database", params["dbname"]),
                       ("authcfg", authcfg), ("saveUsername", False), ("savePassword", False)):
        settings.setValue(f"PostgreSQL/connections/{name}/{key}", value)
    try:
        yield authcfg
    finally:
        settings.remove(f"PostgreSQL/connections/{name}")
        QgsApplication.authManager().removeAuthenticationConfig(authcfg)
