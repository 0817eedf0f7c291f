"""Provider registry: listing, picking by features, NO_PROVIDER naming what is missing."""
import pytest

from domain.errors import NoProvider, ValidationFailed
from domain.providers.registry import ProviderRegistry


def registry():
    reg = ProviderRegistry()
    reg.register("local", "Local", "transcriptions", ["timestamps", "diarization"])
    reg.register("remote", "Remote", "transcriptions", ["timestamps", "language_detection"])
    reg.register("remote", "Remote", "translations", ["text"])
    return reg


def test_local_is_listed_first_and_resource_filters():
    reg = registry()
    assert [p.id for p in reg.all()] == ["local", "remote"]
    assert [p.id for p in reg.all("translations")] == ["remote"]


def test_pick_finds_a_provider_with_every_feature():
    reg = registry()
    assert reg.pick("transcriptions", ["timestamps"]).id == "local"
    assert reg.pick("transcriptions", ["language_detection"]).id == "remote"


def test_no_provider_names_the_missing_features():
    with pytest.raises(NoProvider) as error:
        registry().pick("transcriptions", ["diarization", "language_detection", "lip_sync"])
    assert error.value.message == "no configured provider supports: lip_sync"
    with pytest.raises(NoProvider):
        registry().pick("speech", [])


def test_named_provider_must_exist_and_support_the_features():
    with pytest.raises(ValidationFailed):
        registry().pick("transcriptions", [], provider_id="nope")
    with pytest.raises(NoProvider) as error:
        registry().pick("transcriptions", ["diarization"], provider_id="remote")
    assert "diarization" in error.value.message
