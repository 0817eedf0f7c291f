"""The tables measured against routes.tsv, the generated OpenAPI documents, and schemathesis fuzzing."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rest_compat import coverage
from rest_compat.dialects import DIALECTS
from tests.rest_compat.helpers import bearer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))


def test_coverage_counts_served_documented_routes():
    count, total, missing, extra = coverage.report()
    assert total == 169
    assert extra == []  # every row is a documented route
    # rows beyond their document (`documented=False`, the editor's interchange files) are served, not counted
    assert count == sum(1 for d in DIALECTS for r in d.routes if r.documented)
    assert count + len(missing) == total


def test_coverage_command_prints_the_number():
    out = subprocess.run([sys.executable, "-m", "rest_compat.coverage"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    count, total, _, _ = coverage.report()
    assert out.splitlines()[0] == f"{count}/{total} documented routes served"


def test_every_dialect_has_rows_and_unique_routes():
    seen = set()
    for dialect in DIALECTS:
        assert dialect.routes, dialect.name
        for row in dialect.routes:
            assert (row.method, row.path) not in seen
            seen.add((row.method, row.path))
            assert dialect.matches(row.path), (dialect.name, row.path)
            assert [d.name for d in DIALECTS if d.matches(row.path)] == [dialect.name]


async def test_merged_and_per_dialect_documents(client):
    merged = (await client.get("/openapi.json")).json()
    assert merged["openapi"].startswith("3.")
    documented = {(m.upper(), p) for p, ops in merged["paths"].items() for m in ops}
    assert documented == {(r.method, r.path) for d in DIALECTS for r in d.routes}
    create = merged["paths"]["/v1/assets"]["post"]
    body_ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = merged["components"]["schemas"][body_ref.rsplit("/", 1)[1]]
    assert body["required"] == ["filename"] and body["properties"]["mc_model"]["enum"] == ["normal", "turbo"]
    created = create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert created.startswith("MediaCopilot") and created.endswith("Asset")  # components are named per dialect
    # a body's extra keys: dropped by dialects that ignore them (open schemas), refused by the AI Gateway (closed)
    gateway = merged["paths"]["/v1/transcriptions"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert merged["components"]["schemas"][gateway["$ref"].rsplit("/", 1)[1]]["additionalProperties"] is False
    assert "additionalProperties" not in body
    for dialect in DIALECTS:
        doc = (await client.get(f"/openapi/{dialect.name}.json")).json()
        assert {p for p in doc["paths"]} == {r.path for r in dialect.routes}
    assert (await client.get("/openapi/nope.json")).status_code == 404
    swagger = await client.get("/swagger")
    assert swagger.status_code == 200 and "swagger-ui-bundle.js" in swagger.text and "/openapi/ai_gateway.json" in swagger.text


REFUSED = "http://127.0.0.1:9/fuzz"  # the discard port: connection refused at once


def _local_urls(value):
    """Generated media URLs would send workers after random hosts for minutes: keep them local."""
    if isinstance(value, dict):
        return {k: (REFUSED if k == "url" and isinstance(v, str) else _local_urls(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_local_urls(v) for v in value]
    return value


TRANSPORT_HEADERS = {"content-length", "transfer-encoding", "host", "connection", "expect"}


def _fuzz(base_url: str, doc: dict, key: str) -> list[str]:
    schema = schemathesis.openapi.from_dict(doc)
    failures = []
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(operation.as_strategy(generation_mode=mode))
            def run(case):
                # Framing headers are the HTTP server's business (it answers 400 text/plain before the app runs);
                # the API's own behaviour is what is measured here.
                for name in [h for h in (case.headers or {}) if h.lower() in TRANSPORT_HEADERS]:
                    del case.headers[name]
                if isinstance(case.body, (dict, list)):
                    case.body = _local_urls(case.body)
                response = case.call(base_url=base_url, headers=bearer(key))
                case.validate_response(response, checks=checks)

            try:
                run()
            except Unsatisfiable:
                continue  # nothing to negate: the operation takes no parameters and no body
            except Exception as error:  # collect all operations' failures, not just the first
                failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: {error}"[:2000])
    return failures


@pytest.mark.parametrize("dialect", [d.name for d in DIALECTS])
async def test_schemathesis_finds_no_5xx_and_conforming_responses(client, server, tenant, dialect):
    doc = (await client.get(f"/openapi/{dialect}.json")).json()
    failures = await asyncio.to_thread(_fuzz, server.base_url, doc, tenant.key)
    assert failures == []
