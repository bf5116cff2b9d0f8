"""One Basic auth configuration in QGIS's auth database, as a technician stores a login (tests' helper)."""
from __future__ import annotations


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
