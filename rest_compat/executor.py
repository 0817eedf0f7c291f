"""Serving one row: authenticate, validate, run the row's GraphQL operation in process, render the dialect."""
from __future__ import annotations

import logging
import re
import time

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException

from domain.errors import AccountDisabled, DomainError, ErrorCode
from resolvers.context import Context
from resolvers.payloads import asking
from rest_compat import idempotency
from rest_compat.auth import credential_from_headers
from rest_compat.table import Call, Dialect, Problem, Route
from schema import schema

log = logging.getLogger(__name__)
_AT = re.compile(r"at `\$\.?([^`]*)`")
_MISSING = re.compile(r"missing required field `([^`]+)`")
_MILLIS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.\d{3}Z$")


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
    return Problem(dialect.malformed_status if malformed else dialect.status_for(code), code, message, field)


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
        return _convert(dialect, texts, row.body, strict=False), files
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
        if dialect.unknown_fields == "ignore":
            # Decoded twice (any, then the row's type) so unknown keys can be dropped; errors read the same.
            return msgspec.json.decode(msgspec.json.encode(known_only(msgspec.json.decode(raw or b"{}"),
                                                                      msgspec.inspect.type_info(row.body))),
                                       type=row.body)
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


def known_only(value, info):
    """`value` (decoded JSON) without the object keys the row's type does not declare, at any depth.

    Dialects that ignore unknown keys (Laravel, FastAPI) get them dropped here, so every struct can stay closed
    (forbid_unknown_fields) and still serve both conventions; a tagged union keeps its tag.
    """
    if isinstance(info, msgspec.inspect.UnionType):
        structs = [t for t in info.types if isinstance(t, msgspec.inspect.StructType)]
        if isinstance(value, dict) and structs:
            tagged = {t.tag: t for t in structs if t.tag_field is not None}
            tag_field = structs[0].tag_field
            chosen = tagged.get(value.get(tag_field)) if tagged else structs[0]
            return known_only(value, chosen) if chosen else value
        if isinstance(value, list):
            lists = [t for t in info.types if isinstance(t, (msgspec.inspect.ListType, msgspec.inspect.VarTupleType))]
            return known_only(value, lists[0]) if lists else value
        return value
    if isinstance(info, msgspec.inspect.StructType) and isinstance(value, dict):
        fields = {f.encode_name: f for f in info.fields}
        keep = {k: known_only(v, fields[k].type) for k, v in value.items() if k in fields}
        if info.tag_field is not None and info.tag_field in value:
            keep[info.tag_field] = value[info.tag_field]
        return keep
    if isinstance(info, (msgspec.inspect.ListType, msgspec.inspect.VarTupleType)) and isinstance(value, list):
        return [known_only(v, info.item_type) for v in value]
    if isinstance(info, msgspec.inspect.DictType) and isinstance(value, dict):
        return {k: known_only(v, info.value_type) for k, v in value.items()}
    return value


def _convert(dialect: Dialect, value, kind: type, *, strict: bool = True):
    if dialect.unknown_fields == "ignore":
        value = known_only(value, msgspec.inspect.type_info(kind))
    return msgspec.convert(value, type=kind, strict=strict)


def whole_seconds(body):
    """`*_at` timestamps without their milliseconds, for documents that print 2024-04-06T12:34:10Z."""
    if isinstance(body, dict):
        return {k: _MILLIS.sub(r"\1Z", v) if k.endswith("_at") and isinstance(v, str) else whole_seconds(v)
                for k, v in body.items()}
    if isinstance(body, list):
        return [whole_seconds(v) for v in body]
    return body


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
        idempotency.check(row, request)  # before the body: a bad key is refused whatever else is wrong
        files = {}
        if row.files:
            body, files = await _decode_form(dialect, row, request)
        else:
            body = await _decode_body(dialect, row, request)
        call = Call(path=dict(request.path_params), query=_decode_query(dialect, row, request), body=body, files=files,
                    state=state, viewer=viewer)
        variables = row.bind(call)
        ask = await idempotency.asked(dialect, row, request, call)
        replayed = await idempotency.replay(state, viewer, ask) if ask else None
    except _Reject as reject:
        return problem_response(dialect, reject.problem)
    except DomainError as error:  # an idempotency key that is not one
        return problem_response(dialect, Problem(dialect.status_for(error.code.value), error.code.value,
                                                 error.message, error.field))
    if replayed is not None:
        return replayed
    with asking(ask):
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
    if isinstance(body, Problem):
        return problem_response(dialect, body)
    if not isinstance(body, Response):
        body = Response(whole_seconds(body) if dialect.timestamps == "seconds" else body, status_code=row.status)
    return await idempotency.remember(state, ask, body)
