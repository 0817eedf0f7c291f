"""Job handlers, one module per job kind; importing this package registers them all."""
from workers.handlers import analysis, clips, exports, generation, media_analysis, probe, submission, transcription, translation, voice_over  # noqa: F401,E501
from workers.handlers import search_index  # noqa: F401,E402
from workers.handlers import color_grade  # noqa: F401,E402
from workers.handlers import region_edit  # noqa: F401,E402
from workers.handlers import timeline_export  # noqa: F401,E402
