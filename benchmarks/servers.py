"""Throwaway local servers for tests and benchmarks: PostgreSQL and Chroma on loopback ports.

`postgres_server()` runs `initdb` + `pg_ctl` from the distribution's packages in a temporary data
directory (as the `postgres` user when we are root, since PostgreSQL refuses to run as root);
`chroma_server()` runs `chroma run` from the chromadb package. Both yield a URL and remove
everything on exit. `find_postgres_bin()` is None where PostgreSQL is not installed, so callers can
skip with a reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PostgresServer", "backend_args", "chroma_server", "find_chroma_bin", "find_postgres_bin",
           "free_port", "postgres_server"]


def backend_args(home: Path, servers: dict[str, str] | None = None) -> dict[str, object]:
    """`Brain` keyword arguments for a brain at `home` on `servers` (its `database` and `vectors`
    URLs), or, without them, embedded even where ZENBRAIN_DATABASE_URL / ZENBRAIN_VECTORS_URL
    are set: a benchmark of the embedded layout reads its files."""
    if servers:
        return dict(servers)
    from zenbrain.config import load_config

    return {"config": load_config(home).model_copy(
        update={"database_url": None, "vectors_url": None})}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_postgres_bin() -> Path | None:
    """The folder holding `initdb`, `pg_ctl` and `postgres`, or None."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def find_chroma_bin() -> str | None:
    here = Path(sys.executable).with_name("chroma")
    return str(here) if here.exists() else shutil.which("chroma")


def _as_server_user() -> list[str]:
    """Command prefix that drops root for PostgreSQL, which will not run as root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
        user = "postgres"
    except KeyError:
        user = "nobody"
    return ["runuser", "-u", user, "--"]


@dataclass
class PostgresServer:
    """A running throwaway PostgreSQL; `restart()` is the fault drill's server restart."""

    bin: Path
    data: Path
    port: int
    prefix: list[str]

    @property
    def url(self) -> str:
        return f"postgresql://zenbrain@127.0.0.1:{self.port}/zenbrain"

    def _ctl(self, *args: str, check: bool = True) -> None:
        subprocess.run([*self.prefix, str(self.bin / "pg_ctl"), "-D", str(self.data), "-w",
                        "-t", "60", *args], check=check, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def start(self) -> None:
        opts = (f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c full_page_writes=off -c max_connections=200")
        self._ctl("-o", opts, "-l", str(self.data.parent / "server.log"), "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "stop", check=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def new_database(self, name: str) -> str:
        """Create an empty database; its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A fresh PostgreSQL cluster (trust auth, loopback only, fsync off: test data only)."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL is not installed (no initdb on PATH or under "
                                "/usr/lib/postgresql); apt-get install postgresql")
    prefix = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="zb-pg-"))
    data = root / "data"
    try:
        if prefix:
            shutil.chown(root, user=prefix[2])
        os.chmod(root, 0o755)
        subprocess.run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", "zenbrain",
                        "--auth=trust", "--locale=C", "-E", "UTF8"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        server = PostgresServer(bin_dir, data, free_port(), prefix)
        server.start()
        try:
            import psycopg

            with psycopg.connect(server.url.rsplit("/", 1)[0] + "/postgres",
                                 autocommit=True) as conn:
                conn.execute("CREATE DATABASE zenbrain")
            yield server
        finally:
            server.stop("immediate")
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def chroma_server(timeout: float = 60.0) -> Iterator[str]:
    """`chroma run` on a loopback port with a temporary data folder; yields its URL."""
    binary = find_chroma_bin()
    if binary is None:
        raise FileNotFoundError("the `chroma` server binary is not installed (pip install chromadb)")
    port = free_port()
    data = Path(tempfile.mkdtemp(prefix="zb-chroma-"))
    proc = subprocess.Popen([binary, "run", "--path", str(data), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("chroma server did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(data, ignore_errors=True)
