"""mineralkg: an open knowledge graph of trans-Atlantic critical-mineral diplomacy."""
