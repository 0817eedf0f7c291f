"""Every operation's documented constraints are the ones the server enforces, measured by schemathesis.

A request the document calls valid is not refused with the dialect's validation error (the document declares the
real minimums, lengths, patterns and required fields); a rule that JSON Schema cannot say (one field or another, a
value that must name an existing catalog entry) is written in the operation's prose and listed in PROSE here.
"""
from __future__ import annotations

import asyncio
import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation import GenerationMode

from rest_compat.dialects import DIALECTS
from tests.rest_compat.helpers import bearer

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
REFUSED = "http://127.0.0.1:9/fuzz"  # the discard port: connection refused at once, never a random host
URL_KEYS = {"url", "media", "audio_url"}

# Rules the documents state in words, not in JSON Schema: either-or fields, and references to a catalog or to what
# is installed (the languages, fonts and ids that exist).
PROSE = re.compile("|".join([
    r"give an assetId or a url", r"content is required for text input", r"url is required for document input",
    r"give one of media \(a URL\) or media_base64", r"media_base64 is not valid base64",
    r"unknown language id", r"must name a language of the catalog", r"is not a known language",
    r"is not a valid id", r"is not installed", r"The audio must be a file of type", r"audio url field is required",
    r"The selected audio id is invalid", r"unknown provider",
    r"transcription is only for audio and video", r"webhook header .* cannot be set", r"is given twice",
    r"auth is only valid with media", r"cookies_txt is not in Netscape format", r"unknown model",
    r"from is after to", r"at most \d+ months at a time",  # usage: the range's two ends together (summary)
    # An external storage's destination and authentication_data depend on its type (the operation's prose).
    r"^destination|^authentication_data|go together|storage needs|must be a role ARN|^credentials must be",
]))


def _refusal(dialect: str, response) -> str | None:
    """The message of the dialect's validation error, or None when the response is something else."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    if dialect in ("mediacopilot", "ai_gateway"):
        error = body.get("error") or {}
        return error.get("message") if isinstance(error, dict) and error.get("code") == "VALIDATION_FAILED" else None
    if dialect == "editor":
        return body.get("detail") if body.get("code") == "VALIDATION_FAILED" else None
    if dialect == "mediapitch":
        return body.get("message") if response.status_code == 422 and "errors" in body else None
    if dialect == "metavision":
        return body.get("error") if response.status_code == 400 and body.get("code") == "invalid_request" else None
    raise AssertionError(f"no refusal shape for {dialect}")


def _local(value, key=None):
    """Media URLs point at the discard port; integral floats become integer literals.

    JSON Schema counts 49.0 as an integer and hypothesis sends it for bounded integers; the dialects take integer
    literals only (as generated clients send them), which the README notes.
    """
    if isinstance(value, dict):
        return {k: _local(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_local(v, key) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return REFUSED if key in URL_KEYS and isinstance(value, str) else value


def _refused_valid(base_url: str, doc: dict, dialect: str, key: str) -> list[str]:
    schema = schemathesis.openapi.from_dict(doc)
    # Text is never NUL (U+0000): PostgreSQL cannot store it, so every dialect refuses it; the document says so.
    schema.config.generation.update(allow_x00=False)
    refused: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
        def run(case):
            if isinstance(case.body, (dict, list)):
                case.body = _local(case.body)
            response = case.call(base_url=base_url, headers=bearer(key))
            message = _refusal(dialect, response)
            if message is not None and not PROSE.search(message):
                refused.append(f"{operation.method.upper()} {operation.path}: {message[:200]} "
                               f"(query {case.query}, body {str(case.body)[:200]})")

        run()
    return refused


@pytest.mark.parametrize("dialect", [d.name for d in DIALECTS])
async def test_documented_valid_requests_are_not_refused(client, server, tenant, dialect):
    doc = (await client.get(f"/openapi/{dialect}.json")).json()
    refused = await asyncio.to_thread(_refused_valid, server.base_url, doc, dialect, tenant.key)
    assert refused == [], "\n".join(refused[:40])


async def test_declared_bounds_are_refused_one_past(client, tenant):
    """The other way round, at the boundaries the documents declare: the value is taken, one past it is refused."""
    key = bearer(tenant.key)
    for path, name, low, high, refusal in [("/v1/assets", "items", 1, 100, "mediacopilot"),
                                           ("/api/v1/tasks", "per_page", 1, 100, "mediapitch"),
                                           ("/api/v1/account/requests", "limit", 1, 100, "metavision")]:
        for value, refused in ((low, False), (high, False), (low - 1, True), (high + 1, True)):
            response = await client.get(path, params={name: value}, headers=key)
            assert (_refusal(refusal, response) is not None) is refused, (path, name, value, response.text)
            assert response.status_code < 500
