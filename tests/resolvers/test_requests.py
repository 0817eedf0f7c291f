"""Inputs become domain requests by keyword and save data by one None rule (resolvers/requests.py)."""
from __future__ import annotations

import dataclasses

import pytest
import strawberry

from domain.analysis.metavision import AnalyzeMedia
from domain.analysis.service import AnalyzeRequest
from domain.clips.service import ClipRequest
from domain.translation.service import TranslateRequest
from domain.translation.texts import TextRequest
from domain.translation.voice_over import VoiceOverRequest
from resolvers.requests import data_of, request_from
from schema.analysis.inputs import AnalyzeMediaInput, AnalyzeVideoInput
from schema.clips.inputs import ClipInput
from schema.clips.types import ClipMode
from schema.templates.inputs import TemplateInput, VoiceOverConfigInput
from schema.translation.inputs import TranslateInput, TranslateTextInput, VoiceOverInput

# Every pair a resolver builds: each input field must name a field of its request.
PAIRS = [(AnalyzeVideoInput, AnalyzeRequest), (AnalyzeMediaInput, AnalyzeMedia), (ClipInput, ClipRequest),
         (TranslateInput, TranslateRequest), (VoiceOverInput, VoiceOverRequest), (TranslateTextInput, TextRequest)]


@pytest.mark.parametrize("given, request_class", PAIRS, ids=lambda c: c.__name__)
def test_every_input_field_names_a_field_of_its_request(given, request_class):
    accepted = {f.name for f in dataclasses.fields(request_class) if f.init}
    assert {f.name for f in dataclasses.fields(given)} - accepted == set()


def test_two_fields_of_one_type_land_by_name_not_position():
    clip = ClipInput(branding_id=strawberry.ID("brand"), subtitles_language_id=strawberry.ID("lang"),
                     mode=ClipMode.FAST, start_ms=5, end_ms=9)
    request = request_from(clip, ClipRequest)
    assert (request.branding_id, request.subtitles_language_id) == ("brand", "lang")
    assert (request.start_ms, request.end_ms, request.mode) == (5, 9, "fast")  # enums by value


def test_overrides_replace_converted_fields_and_unknown_names_fail_loudly():
    video = AnalyzeVideoInput(features=[], asset_id=strawberry.ID("a"))
    assert request_from(video, AnalyzeRequest, webhook={"url": "u"}).webhook == {"url": "u"}
    with pytest.raises(TypeError, match="no field hook"):
        request_from(video, AnalyzeRequest, hook=None)

    @strawberry.input
    class Renamed:
        asset: str = "a"

    with pytest.raises(TypeError, match="AnalyzeRequest has no field asset"):
        request_from(Renamed(), AnalyzeRequest)


def test_data_drops_unset_keeps_none_and_flattens_nested_inputs():
    @strawberry.input
    class Partial:
        name: str | None = strawberry.UNSET
        note: str | None = None

    assert data_of(Partial()) == {"note": None}
    assert data_of(Partial(name="x", note="y")) == {"name": "x", "note": "y"}
    template = TemplateInput(id=strawberry.ID("t"), voice_over_config=VoiceOverConfigInput(clone_voice=True))
    data = data_of(template, exclude=("id",))
    assert "id" not in data and data["name"] is None
    assert data["voice_over_config"] == {"clone_voice": True, "mute_original_voice": False}
