"""The five dialect tables, in the order their path prefixes are matched."""
from rest_compat.dialects import ai_gateway, editor, mediacopilot, mediapitch, metavision

# MediaPitch and MetaVision own distinct /api/v1/ prefixes; the editor owns the rest of /api/.
DIALECTS = [ai_gateway.DIALECT, mediacopilot.DIALECT, mediapitch.DIALECT, metavision.DIALECT, editor.DIALECT]
