#!/usr/bin/env bash
# Installs the system packages the test suite needs when they are missing:
# Java 17+ and Maven (a local Neo4j), Chromium and its driver (the graph views).
# With --bench, also wrk (the HTTP load generator of `python -m bench.api --wrk`).
set -euo pipefail
missing=()
if [ "${1:-}" = "--bench" ]; then
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing system packages: ${missing[*]} (install them, or run as root)" >&2
    exit 1
  fi
  echo "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
