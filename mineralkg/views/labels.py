"""The words on a view: short labels, plain-text tooltips, node sizes."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


def label(name: str, width: int = 22, lines: int = 2) -> str:
    """A short label on at most two lines; the full name is in the tooltip and the panel."""
    out: list[str] = []
    line = ""
    for word in name.split():
        if len(word) > width:
            word = word[: width - 1] + "…"
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line = f"{line} {word}"
        else:
            out.append(line)
            line = word
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        last = out[-1] if len(out[-1]) < width else out[-1][: width - 1]
        out[-1] = last.rstrip(" ,;:–-") + "…"
    return "\n".join(out)


def short(text: str, size: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def tooltip(
    head: list[str],
    status: Any,
    dates: Mapping[str, Any],
    sources: Sequence[str],
    evidence: Sequence[Mapping[str, Any]],
    quotes: Sequence[str],
    most: int = 2,
    length: int = 200,
) -> str:
    """Name and class (`head`), status, dates, sources and the first quotes, one a line."""
    lines = list(head)
    if status:
        lines.append(f"status: {status}")
    lines.extend(f"{k}: {v}" for k, v in sorted(dates.items()))
    if sources:
        lines.append("sources: " + ", ".join(sources))
    shown = [e for e in evidence if e.get("quote")] or [{"quote": q} for q in quotes]
    for ev in shown[:most]:
        who = f" ({ev['attributedTo']})" if ev.get("attributedTo") else ""
        where = f" [{ev['source']}]" if ev.get("source") else ""
        lines.append(f"“{short(ev['quote'], length)}”{who}{where}")
    if len(shown) > most:
        lines.append(f"… {len(shown) - most} more quote(s): click for all")
    return "\n".join(lines)


def size(degree: int) -> float:
    """A node's size: grows with its degree, within bounds."""
    return round(min(42.0, 10.0 + 4.0 * math.sqrt(degree)), 1)
