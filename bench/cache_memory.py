"""What distinct large answers do to the API's memory: the answer cache without and with its
byte budget, side by side.

    python -m bench.cache_memory [--answers 200] [--size 8000000]

Puts `--answers` distinct answers of `--size` bytes (a catalogue answer may be 8 MB; clients
choose the parameters, so each can be another answer) into a cache without a byte budget and
into one with the default budget, each in a fresh process, and prints how much each grew.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

CHILD = """
import os, sys, psutil
from mineralkg.api.cache import ResultCache
answers, size, budget = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
cache = ResultCache(1.0) if budget == "default" else ResultCache(1.0, max_bytes=2**62)
before = psutil.Process().memory_info().rss
for i in range(answers):
    cache.put(("query", i), "version", os.urandom(size))
grown = (psutil.Process().memory_info().rss - before) / 2**20
print(f"{budget:>9} budget: {cache.size[0]:5d} answers kept, {cache.size[1] / 2**20:7.0f} MB "
      f"of bodies, process grew {grown:6.0f} MB")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--size", type=int, default=8_000_000)
    args = parser.parse_args()
    print(f"{args.answers} distinct answers of {args.size:,} bytes")
    for budget in ("no", "default"):
        subprocess.run(
            [sys.executable, "-c", CHILD, str(args.answers), str(args.size), budget],
            check=True,
            env=os.environ,
        )


if __name__ == "__main__":
    main()
