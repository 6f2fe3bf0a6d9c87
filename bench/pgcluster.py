"""A throwaway PostgreSQL cluster on loopback, owned by the process that starts it: the test
session (tests/conftest.py) or a benchmark. It lives here because benchmarks never import the
tests; the tests may use it."""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb refuses root: run the server as the postgres system user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class Cluster:
    """initdb + pg_ctl start; stop() removes everything."""

    def __init__(self) -> None:
        if not PG_BIN_CANDIDATES:
            raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.bin = PG_BIN_CANDIDATES[0]
        self.root = Path(tempfile.mkdtemp(prefix="rdfund-pg-"))
        self.data, self.sock = self.root / "data", self.root / "sock"
        self.sock.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.sock, "postgres")
        self.port = 0

    def start(self) -> "Cluster":
        subprocess.run(
            _as_postgres(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "rdfund",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
        )
        for _attempt in range(5):
            self.port = _free_port()
            opts = (
                f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=300"
            )
            done = subprocess.run(
                _as_postgres(
                    [
                        str(self.bin / "pg_ctl"),
                        "-D",
                        str(self.data),
                        "-o",
                        opts,
                        "-l",
                        str(self.root / "log"),
                        "-w",
                        "start",
                    ]
                ),
                capture_output=True,
            )
            if done.returncode == 0:
                return self
        raise RuntimeError("could not start PostgreSQL: " + done.stderr.decode())

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://rdfund@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
            ),
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)
