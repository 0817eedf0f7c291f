"""Job handlers, one module per job kind; importing this package registers them all."""
from workers.handlers import probe, transcription, translation  # noqa: F401
