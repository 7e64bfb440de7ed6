"""pytest plugin: a throwaway PostgreSQL server on 127.0.0.1 for the tests that need one.

``postgres_url`` (session) starts ``initdb`` + ``pg_ctl`` from ``/usr/lib/postgresql/*/bin`` or
PATH in a temporary folder, on a free port, socket in that folder, trust auth on loopback only;
run as the ``postgres`` (or a created ``gdtest``) user when the tests run as root, since the
server refuses root. It yields an SQLAlchemy URL of the maintenance database; ``postgres_db``
gives each test a new empty database. Skips, saying why, only when no server binaries exist
(Debian: ``apt-get install postgresql``).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest


def _bin_dir() -> Path | None:
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True):
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> str | None:
    """None when we are not root (run as ourselves); else a non-root account that exists."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "gdtest"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    subprocess.run(["useradd", "--system", "--no-create-home", "gdtest"], check=True, capture_output=True)
    return "gdtest"


def _run(cmd: list[str], user: str | None) -> subprocess.CompletedProcess:
    if user is not None:
        cmd = ["runuser", "-u", user, "--"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


class NoServer(Exception):
    """No PostgreSQL server binaries here."""


@contextlib.contextmanager
def running_server():
    """Start a throwaway server; yields the URL of its maintenance database; stops and removes it."""
    bindir = _bin_dir()
    if bindir is None:
        raise NoServer("no PostgreSQL server binaries (initdb/pg_ctl) on this machine: apt-get install postgresql")
    user = _server_user()
    root = Path(tempfile.mkdtemp(prefix="gd-pg-"))
    data, log = root / "data", root / "server.log"
    try:
        if user is not None:
            pw = pwd.getpwnam(user)
            os.chown(root, pw.pw_uid, pw.pw_gid)
        os.chmod(root, 0o700)
        init = _run([str(bindir / "initdb"), "-D", str(data), "-U", "gd", "-A", "trust", "-E", "UTF8",
                     "--locale=C", "--no-sync"], user)
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stderr.strip()}")
        port = _free_port()
        opts = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                f"-c full_page_writes=off -c max_connections=40")
        start = _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60",
                      "start"], user)
        if start.returncode != 0:
            text = log.read_text(errors="replace") if log.exists() else start.stderr
            raise RuntimeError(f"PostgreSQL did not start: {text[-2000:]}")
        try:
            yield f"postgresql+psycopg://gd@127.0.0.1:{port}/postgres"
        finally:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], user)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url():
    try:
        with running_server() as url:
            yield url
    except NoServer as exc:
        pytest.skip(str(exc))


def new_database(server_url: str) -> str:
    """Create an empty database on the test server and return its URL."""
    from sqlalchemy import create_engine, text

    name = "gd_" + uuid.uuid4().hex[:12]
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture()
def postgres_db(postgres_url) -> str:
    return new_database(postgres_url)
