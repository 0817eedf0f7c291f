"""Job handlers, one module per job kind; importing this package registers them all."""
from workers.handlers import analysis, clips, exports, generation, media_analysis, probe, submission, transcription, translation, voice_over  # noqa: F401,E501
