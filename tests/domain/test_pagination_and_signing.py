"""Cursors round-trip; signed URLs verify only untampered and unexpired."""
import time
from datetime import timezone
from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import signing
from domain.errors import ValidationFailed
from domain.pagination import clamp_first, decode_cursor, encode_cursor


@given(st.datetimes(timezones=st.just(timezone.utc)), st.uuids())
def test_cursor_round_trips(moment, ident):
    cursor = decode_cursor(encode_cursor(moment, ident))
    assert cursor.created_at == moment and cursor.id == ident


@given(st.text(min_size=1))
def test_garbage_cursor_is_a_validation_error_or_a_cursor(text):
    try:
        decode_cursor(text)
    except ValidationFailed as error:
        assert error.field == ["after"]


def test_first_is_clamped():
    assert clamp_first(None) == 20 and clamp_first(500) == 100 and clamp_first(0) == 0
    with pytest.raises(ValidationFailed):
        clamp_first(-1)


def _parts(query: str) -> dict:
    return {k: v[0] for k, v in parse_qs(query).items()}


@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=60))
def test_signed_query_verifies_and_rejects_changes(secret, path):
    q = _parts(signing.signed_query(secret, "GET", path, 60))
    assert signing.verify(secret, "GET", path, q["exp"], q["sig"])
    assert not signing.verify(secret, "PUT", path, q["exp"], q["sig"])
    assert not signing.verify(secret + "x", "GET", path, q["exp"], q["sig"])
    assert not signing.verify(secret, "GET", path + "/", q["exp"], q["sig"])
    assert not signing.verify(secret, "GET", path, str(int(q["exp"]) + 1), q["sig"])
    assert not signing.verify(secret, "GET", path, "²", q["sig"])  # a digit to str.isdigit, not to int()


def test_expired_signature_is_refused():
    q = _parts(signing.signed_query("s", "GET", "/p", -5))
    assert int(q["exp"]) < time.time()
    assert not signing.verify("s", "GET", "/p", q["exp"], q["sig"])
    assert not signing.verify("s", "GET", "/p", None, None)
