"""A throw-away PostgreSQL (15 on Debian 12, 17 on Debian 13) + PostGIS cluster for the tests.

initdb into a temporary folder, pg_ctl start on a free local TCP port with the
unix socket in that folder, stop and delete at the end. PostgreSQL refuses to
run as root (CI runs as root), so as root the folder is handed to the
``postgres`` OS user and the binaries run through ``runuser``.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def _server_version() -> str:
    """The PostgreSQL major version to run: 15 on Debian 12, 17 in the Debian 13 chroot (make test-qgis340)."""
    installed = sorted((p.parent.parent.name for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")), key=int)
    return os.environ.get("WPZF_PG_VERSION") or ("15" if "15" in installed or not installed else installed[-1])


PG_VERSION = _server_version()
PG_BIN = Path(os.environ.get("WPZF_PG_BIN", f"/usr/lib/postgresql/{PG_VERSION}/bin"))
POSTGIS_CONTROL = Path(f"/usr/share/postgresql/{PG_VERSION}/extension/postgis.control")
SUPERUSER = "wpzf_admin"
SUPERUSER_PASSWORD = "admin-secret"


def missing_reason() -> str | None:
    """Why the cluster cannot run here (None when it can)."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / tool).exists():
            return (f"PostgreSQL {PG_VERSION} server binaries not found in {PG_BIN} "
                    f"(apt-get install postgresql-{PG_VERSION})")
    if not POSTGIS_CONTROL.exists():
        return f"PostGIS 3 for PostgreSQL {PG_VERSION} not installed (apt-get install postgresql-{PG_VERSION}-postgis-3)"
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 not installed (apt-get install python3-psycopg2)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgCluster:
    """A running cluster: connection parameters for the superuser and any role."""

    root: Path
    port: int
    host: str = "127.0.0.1"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def params(self, dbname: str = "postgres", user: str = SUPERUSER,
               password: str | None = SUPERUSER_PASSWORD) -> dict:
        """psycopg2.connect keyword arguments over TCP (passwords are checked)."""
        kw = {"host": self.host, "port": self.port, "dbname": dbname, "user": user}
        if password is not None:
            kw["password"] = password
        return kw

    def connect(self, dbname: str = "postgres", user: str = SUPERUSER, password: str | None = SUPERUSER_PASSWORD,
                autocommit: bool = False):
        import psycopg2

        conn = psycopg2.connect(**self.params(dbname, user, password))
        conn.autocommit = autocommit
        return conn

    def create_database(self, name: str) -> str:
        """A fresh database with PostGIS; returns its name."""
        admin = self.connect(autocommit=True)
        try:
            with admin.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            admin.close()
        conn = self.connect(name, autocommit=True)
        try:
            with conn.cursor() as cur:
                cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        finally:
            conn.close()
        return name


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str], **kw) -> None:
    done = subprocess.run(_as_postgres(cmd), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if done.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}")


def start() -> PgCluster:
    """initdb + pg_ctl start; the caller must call :func:`stop`."""
    root = Path(tempfile.mkdtemp(prefix="wpzf-pg-"))
    os.chmod(root, 0o755)
    pwfile = root / "pw"
    pwfile.write_text(SUPERUSER_PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(pwfile, "postgres", "postgres")
    cluster = PgCluster(root, _free_port())
    _run([str(PG_BIN / "initdb"), "-D", str(cluster.data_dir), "-U", SUPERUSER, "--pwfile", str(pwfile),
          "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
    options = (f"-c port={cluster.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={root} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40 "
               "-c shared_buffers=64MB")
    _run([str(PG_BIN / "pg_ctl"), "-D", str(cluster.data_dir), "-l", str(root / "server.log"),
          "-o", options, "-w", "-t", "60", "start"])
    deadline = time.monotonic() + 30
    while True:
        try:
            cluster.connect(autocommit=True).close()
            break
        except Exception:
            if time.monotonic() > deadline:
                stop(cluster)
                raise
            time.sleep(0.2)
    return cluster


def stop(cluster: PgCluster) -> None:
    """Stop the server (fast) and delete its folder."""
    try:
        _run([str(PG_BIN / "pg_ctl"), "-D", str(cluster.data_dir), "-m", "fast", "-w", "stop"])
    finally:
        shutil.rmtree(cluster.root, ignore_errors=True)
