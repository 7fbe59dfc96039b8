"""mineralkg: an open knowledge graph of trans-Atlantic critical-mineral diplomacy.

`from mineralkg import KnowledgeGraph` is the public Python API (see mineralkg/session.py).
The sub-packages sit in layers, each importing only those below it (tools/check_layers.py):
settings -> ontology -> loaders -> graph -> views -> service -> session | api -> cli.
"""

from mineralkg.session import KnowledgeGraph, Rows

__all__ = ["KnowledgeGraph", "Rows"]
