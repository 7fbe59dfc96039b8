"""mineralkg: an open knowledge graph of trans-Atlantic critical-mineral diplomacy.

`from mineralkg import KnowledgeGraph` is the public Python API (see mineralkg/session.py).
"""

from typing import Any

__all__ = ["KnowledgeGraph", "Rows"]


def __getattr__(name: str) -> Any:
    # imported lazily: graph/ and loaders/ import mineralkg.settings, which must not pull them in
    if name in __all__:
        from mineralkg import session

        return getattr(session, name)
    raise AttributeError(name)
