"""iscm-kg: the linked-data knowledge graph of inter-State consultation mechanisms on migration."""

__version__ = "0.2.0"
