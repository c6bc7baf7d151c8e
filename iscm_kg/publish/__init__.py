"""Publishing: the graph as files for people and machines (exports, framed view, VoID, documentation, release)."""
