"""CPU seconds spent by the server side of a benchmark (web processes and PostgreSQL), read
from /proc: on a shared machine throughput moves with whatever else runs, while the CPU a
request costs the server does not, so benchmarks report both."""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _processes():
    """(pid, ppid, session id, CPU seconds) of every process still running."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = text[text.rindex(")") + 2 :].split()
        ppid, session = int(fields[1]), int(fields[3])
        yield int(entry.name), ppid, session, (int(fields[11]) + int(fields[12])) / TICKS


class ServerCPU:
    """CPU seconds of the processes in the given sessions (gunicorn started with
    start_new_session: its master and workers) and of the given parents and their children
    (the PostgreSQL postmaster and its backends)."""

    def __init__(self, *, sessions=(), parents=()):
        self.sessions, self.parents = set(sessions), set(parents)

    def seconds(self) -> float:
        return sum(
            cpu
            for pid, ppid, session, cpu in _processes()
            if session in self.sessions or pid in self.parents or ppid in self.parents
        )


def postmaster_pid(data_dir: Path) -> int:
    """The postmaster's pid, the first line of postmaster.pid in the cluster's data folder."""
    return int((Path(data_dir) / "postmaster.pid").read_text().split()[0])
