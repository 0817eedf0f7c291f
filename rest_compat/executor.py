"""Serving one row: authenticate, validate, run the row's GraphQL operation in process, render the dialect."""
from __future__ import annotations

import logging
import re
import time

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException

from domain.errors import AccountDisabled, ErrorCode
from resolvers.context import Context
from rest_compat.auth import credential_from_headers
from rest_compat.table import Call, Dialect, Problem, Route
from schema import schema

log = logging.getLogger(__name__)
_AT = re.compile(r"at `\$\.?([^`]*)`")
_MISSING = re.compile(r"missing required field `([^`]+)`")


def problem_response(dialect: Dialect, problem: Problem) -> Response:
    return Response(dialect.render_error(problem), status_code=problem.status, headers=problem.headers)


def _field_of(message: str, prefix: list[str]) -> list[str] | None:
    missing = _MISSING.search(message)
    at = _AT.search(message)
    path = [p for p in re.split(r"[.\[\]]+", at.group(1)) if p] if at else []
    if missing:
        path.append(missing.group(1))
    return prefix + path if path else (prefix or None)


def _invalid(dialect: Dialect, message: str, field: list[str] | None, malformed: bool = False) -> Problem:
    code = ErrorCode.VALIDATION_FAILED.value
    return Problem(400 if malformed else dialect.status_for(code), code, message, field)


async def _decode_form(dialect: Dialect, row: Route, request: Request):
    """Text fields through the row's struct, files kept as Litestar UploadFiles (spooled to disk)."""
    try:
        form = await request.form()
    except HTTPException as exc:
        code = "PAYLOAD_TOO_LARGE" if exc.status_code == 413 else "VALIDATION_FAILED"
        raise _Reject(Problem(exc.status_code, code, str(exc.detail))) from exc
    files = {name: form.get(name) for name in row.files if not isinstance(form.get(name), (str, type(None)))}
    for name in row.files:
        if name not in files:
            raise _Reject(_invalid(dialect, f"The {name} field is required and must be a file.", [name]))
    texts = {k: v for k, v in form.items() if isinstance(v, str) and k not in row.files}
    try:
        return msgspec.convert(texts, type=row.body, strict=False), files
    except msgspec.ValidationError as exc:
        raise _Reject(_invalid(dialect, str(exc), _field_of(str(exc), []))) from exc


async def _decode_body(dialect: Dialect, row: Route, request: Request):
    if row.body is None:
        return None
    try:
        raw = await request.body()
    except HTTPException as exc:
        code = "PAYLOAD_TOO_LARGE" if exc.status_code == 413 else "VALIDATION_FAILED"
        raise _Reject(Problem(exc.status_code, code, str(exc.detail))) from exc
    try:
        return msgspec.json.decode(raw or b"{}", type=row.body)
    except msgspec.ValidationError as exc:
        raise _Reject(_invalid(dialect, str(exc), _field_of(str(exc), []))) from exc
    except msgspec.DecodeError as exc:
        raise _Reject(_invalid(dialect, "the request body is not valid JSON", None, malformed=True)) from exc


def _decode_query(dialect: Dialect, row: Route, request: Request):
    if row.query is None:
        return {}
    params = {key: request.query_params.get(key) for key in request.query_params}
    try:
        return msgspec.convert(params, type=row.query, strict=False)
    except msgspec.ValidationError as exc:
        raise _Reject(_invalid(dialect, str(exc), _field_of(str(exc), []))) from exc


class _Reject(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


async def execute(dialect: Dialect, row: Route, request: Request) -> Response:
    state = request.app.state.mediagraph
    started = time.perf_counter()
    viewer = None
    if row.auth:
        try:
            viewer = await state.authenticate(credential_from_headers(request.headers))
        except AccountDisabled as disabled:
            return problem_response(dialect, Problem(403, "FORBIDDEN", disabled.message))
        if viewer is None:
            return problem_response(dialect, Problem(401, "UNAUTHENTICATED", "a valid API key is required"))
        request.state.viewer_name = viewer.name
    try:
        files = {}
        if row.files:
            body, files = await _decode_form(dialect, row, request)
        else:
            body = await _decode_body(dialect, row, request)
        call = Call(path=dict(request.path_params), query=_decode_query(dialect, row, request), body=body, files=files,
                    state=state, viewer=viewer)
        variables = row.bind(call)
    except _Reject as reject:
        return problem_response(dialect, reject.problem)
    result = await schema.execute(row.operation, variable_values=variables,
                                  context_value=Context(state=state, viewer=viewer))
    if result.errors:
        error = result.errors[0]
        code = (error.extensions or {}).get("code") or "INTERNAL"
        field = (error.extensions or {}).get("field")
        if code == "GRAPHQL_VALIDATION_FAILED":  # a variable of the wrong shape reached the schema
            code = "VALIDATION_FAILED"
        return problem_response(dialect, Problem(dialect.status_for(code), code, error.message, field))
    value = result.data[row.root]
    if row.payload and value.get("errors"):
        first = value["errors"][0]
        return problem_response(dialect, Problem(dialect.status_for(first["code"]), first["code"], first["message"],
                                                 first.get("field")))
    body = row.view(value, call)
    log.debug("%s %s served in %.1f ms", row.method, row.path, (time.perf_counter() - started) * 1000)
    if isinstance(body, Response):
        return body
    if isinstance(body, Problem):
        return problem_response(dialect, body)
    return Response(body, status_code=row.status)
