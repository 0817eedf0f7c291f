"""domain.assets.media.summarise on ffprobe reports."""
from domain.assets.media import summarise

REPORT = {
    "format": {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "12.480000", "bit_rate": "812345", "size": "1267200"},
    "streams": [
        {"index": 0, "codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080,
         "avg_frame_rate": "30000/1001", "duration": "12.480000"},
        {"index": 1, "codec_type": "audio", "codec_name": "aac", "sample_rate": "48000", "channels": 2,
         "tags": {"language": "spa"}, "duration": "12.470000"},
        {"index": 2, "codec_type": "audio", "codec_name": "opus", "sample_rate": "48000", "channels": 1,
         "tags": {"language": "und"}},
        {"index": 3, "codec_type": "data", "codec_name": "bin_data"},
    ],
}


def test_video_with_two_audio_tracks():
    summary = summarise(REPORT)
    assert summary.duration_ms == 12480
    assert summary.has_video and summary.has_audio
    assert summary.media["width"] == 1920 and summary.media["frame_rate"] == 29.97
    assert summary.media["video_codec"] == "h264" and summary.media["bitrate"] == 812345
    assert summary.audio_tracks == [
        {"index": 0, "codec": "aac", "language": "spa", "channels": 2, "sample_rate": 48000, "duration_ms": 12470},
        {"index": 1, "codec": "opus", "language": None, "channels": 1, "sample_rate": 48000, "duration_ms": 12480},
    ]
    assert [s["codec_type"] for s in summary.media["streams"]] == ["video", "audio", "audio", "data"]


def test_cover_art_is_not_a_video_track():
    report = {"format": {"duration": "3.0"}, "streams": [
        {"codec_type": "audio", "codec_name": "mp3", "sample_rate": "44100", "channels": 2},
        {"codec_type": "video", "codec_name": "mjpeg", "width": 300, "height": 300, "disposition": {"attached_pic": 1}},
    ]}
    summary = summarise(report)
    assert not summary.has_video and summary.media["width"] is None and summary.duration_ms == 3000


def test_missing_format_duration_falls_back_to_streams():
    summary = summarise({"format": {}, "streams": [{"codec_type": "audio", "duration": "1.5"}]})
    assert summary.duration_ms == 1500
