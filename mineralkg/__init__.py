"""mineralkg: an open knowledge graph of trans-Atlantic critical-mineral diplomacy."""

from mineralkg.session import KnowledgeGraph, Rows

__all__ = ["KnowledgeGraph", "Rows"]
