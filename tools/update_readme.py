"""Rewrites the README's generated data-model section from the ontology."""

from __future__ import annotations

from pathlib import Path

from mineralkg.ontology.docs import BEGIN, END, data_model_markdown
from mineralkg.ontology.model import load

README = Path(__file__).resolve().parents[1] / "README.md"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    README.write_text(text[:start] + data_model_markdown(load()) + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
