"""A throwaway local Neo4j Community server for tests (no Docker).

Usage::

    from mineralkg.testing.neo4j_server import neo4j_server

    with neo4j_server() as uri:  # e.g. "bolt://127.0.0.1:40123"
        driver = neo4j.GraphDatabase.driver(uri, auth=None)
        ...

The server is ``tools/neo4j/Launcher.java`` (embedded Neo4j 5.26 with Bolt,
authentication disabled), started through ``tools/neo4j/neo4j.sh run``, which
starts the JVM again if it dies; ``running_neo4j()`` yields a handle that can kill
the JVM (``kill_jvm``) and wait for its return (``wait_restarted``). The database
lives in a temporary directory that is deleted afterwards.

Needs Java 17+ and, for the first use only, Maven (the jars are copied into
``var/neo4j/lib``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NEO4J_SH = REPO_ROOT / "tools" / "neo4j" / "neo4j.sh"

READY_PREFIX = "NEO4J READY "
FETCH_TIMEOUT_S = 900.0
START_TIMEOUT_S = 180.0
STOP_GRACE_S = 30.0
_TAIL_LINES = 40
_PORT_ATTEMPTS = 3


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch_jars(timeout: float = FETCH_TIMEOUT_S) -> None:
    """Copy the Neo4j jars into var/neo4j/lib unless already there (quick then)."""
    try:
        result = subprocess.run(
            ["bash", str(NEO4J_SH), "fetch"],
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"fetching the Neo4j jars took more than {timeout:.0f}s") from exc
    if result.returncode != 0:
        output = (result.stdout + result.stderr).splitlines()
        raise RuntimeError("fetching the Neo4j jars failed:\n" + "\n".join(output[-_TAIL_LINES:]))


def _tail(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "(no output)"
    return "\n".join(lines[-_TAIL_LINES:]) or "(no output)"


def _stop(proc: subprocess.Popen[bytes], grace: float = STOP_GRACE_S) -> None:
    """SIGTERM to the supervisor (it stops the JVM); SIGKILL to the whole group after
    `grace` seconds (the supervisor and the JVM are the only members)."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _wait_ready(
    proc: subprocess.Popen[bytes], log_path: Path, timeout: float, seen: int = 0
) -> str | None:
    """Return the bolt URI once a READY line beyond the first `seen` appears; None if the
    process exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            text = log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        ready = [line for line in text.splitlines() if line.startswith(READY_PREFIX)]
        if len(ready) > seen:
            return ready[-1][len(READY_PREFIX) :].strip()
        if proc.poll() is not None:
            return None
        time.sleep(0.1)
    raise TimeoutError


@dataclass
class Neo4jServer:
    """A running test server: its URI, and ways to kill its JVM and see it come back."""

    uri: str
    proc: subprocess.Popen[bytes]
    log_path: Path
    starts: int = 1

    def jvm_pid(self) -> int:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        # the supervisor runs one JVM at a time, beside its parent watchdog (a bash subshell)
        (jvm,) = [c for c in children.split() if Path(f"/proc/{c}/comm").read_text() == "java\n"]
        return int(jvm)

    def kill_jvm(self) -> None:
        """SIGKILL to the JVM, as an out-of-memory exit or a crashed host would end it."""
        os.kill(self.jvm_pid(), signal.SIGKILL)

    def wait_restarted(self, timeout: float = START_TIMEOUT_S) -> None:
        """Block until the supervisor has started the JVM again and it is ready."""
        if _wait_ready(self.proc, self.log_path, timeout, seen=self.starts) is None:
            raise RuntimeError(f"Neo4j did not come back:\n{_tail(self.log_path)}")
        self.starts += 1


@contextlib.contextmanager
def neo4j_server(
    port: int | None = None, *, start_timeout: float = START_TIMEOUT_S
) -> Iterator[str]:
    """Run a fresh, empty Neo4j server; yield its bolt URI; stop it and delete it."""
    with running_neo4j(port, start_timeout=start_timeout) as server:
        yield server.uri


@contextlib.contextmanager
def running_neo4j(
    port: int | None = None, *, start_timeout: float = START_TIMEOUT_S
) -> Iterator[Neo4jServer]:
    """Run a fresh, empty Neo4j server; yield a handle on it; stop it and delete it.

    With ``port=None`` a free port is picked (and another one tried if it was
    taken in the meantime). Raises ``RuntimeError`` with the last lines of the
    server's output if it exits or is not ready within ``start_timeout`` seconds.
    """
    fetch_jars()
    attempts = 1 if port is not None else _PORT_ATTEMPTS
    for attempt in range(1, attempts + 1):
        chosen = port if port is not None else free_port()
        workdir = Path(tempfile.mkdtemp(prefix="mineralkg-neo4j-"))
        log_path = workdir / "server.log"
        # the server stops by itself when this process is gone, even after kill -9
        env = os.environ | {
            "NEO4J_HOME_DIR": str(workdir / "home"),
            "NEO4J_PARENT_PID": str(os.getpid()),
        }
        proc: subprocess.Popen[bytes] | None = None
        try:
            with log_path.open("wb") as log:
                proc = subprocess.Popen(
                    ["bash", str(NEO4J_SH), "run", str(chosen)],
                    cwd=REPO_ROOT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own group: _stop can end the JVM with it
                )
            try:
                uri = _wait_ready(proc, log_path, start_timeout)
            except TimeoutError:
                tail = _tail(log_path)
                raise RuntimeError(
                    f"Neo4j was not ready within {start_timeout:.0f}s on port {chosen}:\n{tail}"
                ) from None
            if uri is None:
                tail = _tail(log_path)
                if attempt < attempts and "Address already in use" in tail:
                    continue  # the picked port was taken meanwhile; try another
                raise RuntimeError(
                    f"Neo4j exited with code {proc.returncode} before it was ready "
                    f"on port {chosen}:\n{tail}"
                )
            yield Neo4jServer(uri, proc, log_path)
            return
        finally:
            if proc is not None:
                _stop(proc)
            shutil.rmtree(workdir, ignore_errors=True)
    raise AssertionError("unreachable")
