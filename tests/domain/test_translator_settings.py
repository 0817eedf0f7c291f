"""Only configured translation backends exist, in the documented order of preference."""
from __future__ import annotations

from domain.settings import Settings
from workers.engines import translators


def ids(env: dict) -> list[str]:
    return [t.id for t in translators.configured(Settings.from_env({"DATA_DIR": "/tmp/mg-settings", **env}))]


def test_google_is_the_keyless_default_and_keyed_backends_come_first():
    assert ids({}) == ["google"]
    assert ids({"TRANSLATION_PROVIDERS": ""}) == []
    assert ids({"LIBRETRANSLATE_URL": "http://127.0.0.1:5000", "DEEPL_API_KEY": "k", "YANDEX_API_KEY": "y",
                "PAPAGO_CLIENT_ID": "i", "PAPAGO_SECRET_KEY": "s", "QCRI_API_KEY": "q",
                "MICROSOFT_TRANSLATOR_KEY": "m", "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
                "TRANSLATION_PROVIDERS": "google,mymemory"}) == [
        "libre", "deepl", "microsoft", "yandex", "papago", "qcri", "openai-compatible", "google", "mymemory"]


def test_language_spellings_follow_each_provider():
    [libre] = translators.configured(Settings.from_env({"DATA_DIR": "/tmp/mg-settings", "TRANSLATION_PROVIDERS": "",
                                                        "LIBRETRANSLATE_URL": "http://127.0.0.1:5000"}))
    assert translators.provider_code("es-ES", libre.languages) == "es"
    assert translators.provider_code("zh-CN", libre.languages) == "zh"
    assert not libre.supports("ca-ES")  # deep-translator's Libre list is short
    [google] = translators.configured(Settings.from_env({"DATA_DIR": "/tmp/mg-settings"}))
    assert translators.provider_code("he-IL", google.languages) == "iw"
    assert translators.provider_code("zh-CN", google.languages) == "zh-CN"
