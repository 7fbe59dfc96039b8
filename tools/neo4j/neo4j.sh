#!/usr/bin/env bash
# Local Neo4j Community 5.26 server for mineralkg, without Docker.
#
# Needs Java 17+ and Maven (jars come from Maven Central; ~/.m2 is reused).
#
#   tools/neo4j/neo4j.sh fetch          copy the jars into var/neo4j/lib (once)
#   tools/neo4j/neo4j.sh run   [PORT]   run in the foreground (Ctrl-C / SIGTERM stops);
#                                       started again if it dies (NEO4J_RESTART=0: not)
#   tools/neo4j/neo4j.sh start [PORT]   the same in the background, wait until ready,
#                                       print the bolt URI
#   tools/neo4j/neo4j.sh stop  [PORT]   stop a server started with `start`
#   tools/neo4j/neo4j.sh status [PORT]  exit 0 if running, 3 if not
#
# The server listens on bolt://127.0.0.1:PORT with authentication disabled
# (connect with auth=None); there is no HTTP port.
#
# Environment:
#   NEO4J_PORT           default port (7687)
#   NEO4J_HOME_DIR       database + logs directory (default var/neo4j/db-PORT)
#   NEO4J_HEAP           JVM max heap (default 2g; the heap grows from 256m as needed)
#   NEO4J_GC             shenandoah (default where the JVM has it) or g1: Shenandoah collects
#                        concurrently, so a query building a huge list (collect() of 10^7
#                        values) does not pause every other read for 200-500 ms, as G1's
#                        young collections copying that list did (docs/benchmarks.md)
#   NEO4J_PAGECACHE_MB   page cache in MB (default 64; a few hundred for large loads)
#   NEO4J_TX_MEMORY_MB   most memory one transaction may use, db.memory.transaction.max
#                        (default 256; 0: no limit, for loads of 100k nodes and more)
#   NEO4J_RESTART        1 (default): start the server again when it dies; 0: do not
#   NEO4J_PARENT_PID     with `run`: stop the server when this process is gone (a test run
#                        killed before it could stop its server leaves none behind)
#   NEO4J_JAVA_OPTS      extra JVM options (word-split)
#   NEO4J_START_TIMEOUT  seconds `start` waits for the server (default 120)
#   JAVA_HOME / JAVA     Java to use (default: java on PATH)
#   MVN                  Maven command (default: mvn)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"
LAUNCHER="$SCRIPT_DIR/Launcher.java"
VAR_DIR="$ROOT/var/neo4j"
LIB_DIR="$VAR_DIR/lib"
STAMP="$LIB_DIR/.fetched-from-pom"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

JAVA_BIN="${JAVA:-}"
if [[ -z "$JAVA_BIN" ]]; then
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        JAVA_BIN="$JAVA_HOME/bin/java"
    else
        JAVA_BIN="java"
    fi
fi
MVN_BIN="${MVN:-mvn}"

die() {
    echo "neo4j.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

port_arg() {
    local port="${1:-${NEO4J_PORT:-7687}}"
    [[ "$port" =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || die "bad port: $port"
    echo "$port"
}

home_dir() {
    echo "${NEO4J_HOME_DIR:-$VAR_DIR/db-$1}"
}

pid_file() { echo "$VAR_DIR/neo4j-$1.pid"; }
log_file() { echo "$VAR_DIR/neo4j-$1.log"; }

pom_checksum() {
    cksum <"$POM" | awk '{print $1 "-" $2}'
}

lib_is_ready() {
    [[ -f "$STAMP" ]] && [[ "$(cat "$STAMP")" == "$(pom_checksum)" ]] &&
        compgen -G "$LIB_DIR/*.jar" >/dev/null
}

cmd_fetch() {
    lib_is_ready && return 0
    command -v "$MVN_BIN" >/dev/null || die "Maven ($MVN_BIN) not found; it is needed once to fetch the Neo4j jars"
    mkdir -p "$VAR_DIR"
    local lock="$VAR_DIR/fetch.lock"
    if command -v flock >/dev/null; then
        # Serialise concurrent fetches (e.g. parallel test workers).
        exec 9>"$lock"
        flock 9
        if lib_is_ready; then
            exec 9>&-
            return 0
        fi
    fi
    echo "neo4j.sh: fetching Neo4j jars into $LIB_DIR ..." >&2
    local tmp="$VAR_DIR/lib.tmp.$$"
    rm -rf "$tmp"
    if ! "$MVN_BIN" -B -q -f "$POM" "$DEPENDENCY_PLUGIN:copy-dependencies" \
        -DincludeScope=runtime -DoutputDirectory="$tmp" >&2; then
        rm -rf "$tmp"
        die "Maven could not copy the Neo4j jars (see output above)"
    fi
    compgen -G "$tmp/*.jar" >/dev/null || { rm -rf "$tmp"; die "Maven copied no jars"; }
    pom_checksum >"$tmp/.fetched-from-pom"
    rm -rf "$LIB_DIR"
    mv "$tmp" "$LIB_DIR"
    if command -v flock >/dev/null; then exec 9>&-; fi
}

check_java() {
    command -v "$JAVA_BIN" >/dev/null || die "java ($JAVA_BIN) not found; Java 17 or newer is needed"
    local version major
    version="$("$JAVA_BIN" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
    major="${version%%.*}"
    [[ "$major" == 1 ]] && major="$(echo "$version" | cut -d. -f2)"
    [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 17)) || die "Java 17 or newer is needed, found: ${version:-unknown}"
}

# Fills the JAVA_CMD array for port $1 and database home $2.
build_java_cmd() {
    local port="$1" home="$2"
    JAVA_CMD=(
        "$JAVA_BIN"
        "--add-opens=java.base/java.nio=ALL-UNNAMED"
        "--add-opens=java.base/java.io=ALL-UNNAMED"
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
        "-Dio.netty.tryReflectionSetAccessible=true"
        "-Xms256m"
        "-Xmx${NEO4J_HEAP:-2g}"
        "-XX:+ExitOnOutOfMemoryError"
    )
    local gc="${NEO4J_GC:-shenandoah}"
    case "$gc" in
        shenandoah | g1) ;;
        *) die "NEO4J_GC must be shenandoah or g1, not $gc" ;;
    esac
    if [[ "$gc" == shenandoah ]] && "$JAVA_BIN" -XX:+UseShenandoahGC -version >/dev/null 2>&1; then
        JAVA_CMD+=("-XX:+UseShenandoahGC")  # not in every JDK build (Oracle's lacks it): G1 then
    fi
    if [[ -n "${NEO4J_JAVA_OPTS:-}" ]]; then
        # shellcheck disable=SC2206  # word splitting is intended
        JAVA_CMD+=($NEO4J_JAVA_OPTS)
    fi
    JAVA_CMD+=(-cp "$LIB_DIR/*" "$LAUNCHER" "$home" "$port")
}

running_pid() {
    # Prints the pid of the server started with `start` on port $1, if alive.
    local file pid
    file="$(pid_file "$1")"
    [[ -f "$file" ]] || return 1
    pid="$(cat "$file")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    # Guard against a recycled pid that is no longer our supervisor (or JVM).
    ps -p "$pid" -o args= 2>/dev/null | grep -q -e "Launcher" -e "neo4j.sh run" || return 1
    echo "$pid"
}

cmd_run() {
    local port home
    port="$(port_arg "${1:-}")"
    home="$(home_dir "$port")"
    cmd_fetch
    check_java
    build_java_cmd "$port" "$home"
    if [[ "${NEO4J_RESTART:-1}" == 0 ]]; then
        # exec: the caller's process *is* the JVM, so signals reach it directly.
        exec "${JAVA_CMD[@]}"
    fi
    supervise
}

# Runs JAVA_CMD and starts it again whenever it exits on its own (killed, out of memory);
# gives up after three exits in a row within 10 s of their start (it cannot start at all).
# SIGTERM / SIGINT stop it for good.
supervise() {
    local child="" stopping=0 rc began quick=0
    trap 'stopping=1; [[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null' TERM INT
    if [[ -n "${NEO4J_PARENT_PID:-}" ]]; then
        # a watchdog: when the parent is gone, stop as on SIGTERM ($$ is this script's shell)
        (
            while kill -0 "$NEO4J_PARENT_PID" 2>/dev/null; do sleep 1; done
            kill -TERM $$ 2>/dev/null
        ) &
        WATCHDOG=$!
        trap 'kill "$WATCHDOG" 2>/dev/null' EXIT
    fi
    while true; do
        began=$SECONDS
        rc=0
        "${JAVA_CMD[@]}" &
        child=$!
        wait "$child" || rc=$?
        while kill -0 "$child" 2>/dev/null; do # a trapped signal ended the wait early
            wait "$child" || rc=$?
        done
        ((stopping)) && exit 0
        if ((SECONDS - began < 10)); then
            quick=$((quick + 1))
            ((quick < 3)) || die "Neo4j exited (code $rc) three times right after starting"
            sleep 2
        else
            quick=0
        fi
        echo "neo4j.sh: Neo4j exited (code $rc); starting it again" >&2
    done
}

cmd_start() {
    local port home pidf log pid timeout deadline
    port="$(port_arg "${1:-}")"
    home="$(home_dir "$port")"
    pidf="$(pid_file "$port")"
    log="$(log_file "$port")"
    if pid="$(running_pid "$port")"; then
        echo "neo4j.sh: already running on port $port (pid $pid)" >&2
        echo "bolt://127.0.0.1:$port"
        return 0
    fi
    cmd_fetch
    check_java
    build_java_cmd "$port" "$home"
    mkdir -p "$VAR_DIR"
    nohup bash "${BASH_SOURCE[0]}" run "$port" >"$log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pidf"

    timeout="${NEO4J_START_TIMEOUT:-120}"
    deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        if grep -q '^NEO4J READY ' "$log" 2>/dev/null; then
            grep -m1 '^NEO4J READY ' "$log" | awk '{print $3}'
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done

    if kill -0 "$pid" 2>/dev/null; then
        echo "neo4j.sh: not ready after ${timeout}s; stopping it" >&2
        kill -TERM "$pid" 2>/dev/null || true
        wait_for_exit "$pid" 30 || kill -KILL "$pid" 2>/dev/null || true
    else
        echo "neo4j.sh: server exited before it was ready" >&2
    fi
    rm -f "$pidf"
    echo "---- last lines of $log ----" >&2
    tail -n 40 "$log" >&2 || true
    if [[ -f "$home/logs/debug.log" ]]; then
        echo "---- last lines of $home/logs/debug.log ----" >&2
        tail -n 20 "$home/logs/debug.log" >&2 || true
    fi
    return 1
}

wait_for_exit() {
    # wait_for_exit PID SECONDS: 0 once PID is gone, 1 on timeout.
    local pid="$1" deadline=$((SECONDS + $2))
    while kill -0 "$pid" 2>/dev/null; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
    return 0
}

cmd_stop() {
    local port pid pidf
    port="$(port_arg "${1:-}")"
    pidf="$(pid_file "$port")"
    if ! pid="$(running_pid "$port")"; then
        rm -f "$pidf"
        echo "neo4j.sh: not running on port $port" >&2
        return 0
    fi
    kill -TERM "$pid"
    if ! wait_for_exit "$pid" 60; then
        echo "neo4j.sh: pid $pid did not stop within 60s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
        wait_for_exit "$pid" 10 || true
    fi
    rm -f "$pidf"
    echo "neo4j.sh: stopped (port $port)" >&2
}

cmd_status() {
    local port pid
    port="$(port_arg "${1:-}")"
    if pid="$(running_pid "$port")"; then
        echo "running: bolt://127.0.0.1:$port (pid $pid, home $(home_dir "$port"))"
        return 0
    fi
    echo "not running (port $port)"
    return 3
}

main() {
    local sub="${1:-}"
    [[ $# -gt 0 ]] && shift
    case "$sub" in
    fetch) cmd_fetch ;;
    run) cmd_run "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    -h | --help | help) usage ;;
    *)
        usage >&2
        exit 2
        ;;
    esac
}

main "$@"
