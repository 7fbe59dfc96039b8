"""The bundled Neo4j launcher (tools/neo4j/neo4j.sh) leaves no server behind its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest

from mineralkg.testing.neo4j_server import NEO4J_SH, fetch_jars, free_port

pytestmark = pytest.mark.neo4j  # the launcher fetches the Neo4j jars before it starts

FAKE_JAVA = """#!/usr/bin/env bash
# a stand-in for the JVM: a Java version for the launcher's checks, then a long sleep
if [[ " $* " == *" -version "* ]]; then echo 'openjdk version "17.0.9"' >&2; exit 0; fi
exec sleep 300
"""


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # a zombie has ended: only its parent has not read its status yet
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_a_server_whose_parent_is_killed_stops(tmp_path: Path) -> None:
    fetch_jars()
    java = tmp_path / "java"
    java.write_text(FAKE_JAVA)
    java.chmod(0o755)
    # the parent: starts the launcher as the test harness does, then waits to be killed
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import os, subprocess, sys, time
                env = os.environ | {{"JAVA": {str(java)!r}, "NEO4J_PARENT_PID": str(os.getpid()),
                                     "NEO4J_HOME_DIR": {str(tmp_path / "home")!r}}}
                run = subprocess.Popen(["bash", {str(NEO4J_SH)!r}, "run", "{free_port()}"],
                                       env=env, start_new_session=True)
                print(run.pid, flush=True)
                time.sleep(300)
            """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    launcher = int(parent.stdout.readline())
    deadline = time.monotonic() + 30
    while not _children(launcher) and time.monotonic() < deadline:
        time.sleep(0.1)
    server = [p for p in _children(launcher) if "sleep" in Path(f"/proc/{p}/cmdline").read_text()]
    assert server, "the launcher did not start its (stand-in) server"
    parent.send_signal(signal.SIGKILL)  # no chance to stop its server
    parent.wait()
    deadline = time.monotonic() + 10
    while not (_gone(launcher) and _gone(server[0])) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _gone(server[0]), "the server outlived the process that started it"
    assert _gone(launcher)


def test_the_bundled_server_collects_garbage_concurrently(neo4j_uri: str) -> None:
    # G1's young collections copying a hostile collect() of 10^7 values paused every other
    # read for 200-500 ms; Shenandoah, where the JDK has it, collects beside the queries
    if os.environ.get("MINERALKG_TEST_NEO4J_URI"):
        pytest.skip("the test server is not the bundled one")
    port = str(urlsplit(neo4j_uri).port)
    jvm = next(
        p
        for p in psutil.process_iter(["cmdline"])
        if any("Launcher" in part for part in p.info["cmdline"] or [])
        and (p.info["cmdline"] or [])[-1:] == [port]
    )
    java = jvm.info["cmdline"][0]
    has_it = subprocess.run([java, "-XX:+UseShenandoahGC", "-version"], capture_output=True)
    assert ("-XX:+UseShenandoahGC" in jvm.info["cmdline"]) == (has_it.returncode == 0)
    assert "-Xmx2g" in jvm.info["cmdline"] or os.environ.get("NEO4J_HEAP")
