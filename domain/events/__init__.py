"""Event buses carrying job events to subscribers: in-memory (embedded) or Redis pub/sub."""
