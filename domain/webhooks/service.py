"""Webhook events: which transitions notify, the payload, the outbox row, the tenant's signing secret."""
from __future__ import annotations

import base64
import json
import secrets as random
import uuid

from domain import outbox, secrets, urls
from domain.db import UnitOfWork, rfc3339
from domain.errors import ValidationFailed
from domain.webhooks import repository
from domain.webhooks.models import WebhookDelivery, WebhookSecret

PURPOSE = "webhook-secret"
HEADERS_PURPOSE = "webhook-headers"
MAX_HEADERS = 20
# Names a caller may not set: framing and hop-by-hop headers (a second Content-Length or a Transfer-Encoding would
# let a caller shape the request the receiver parses), Host (the target is the URL's), and the Standard Webhooks
# signature headers, which only the signer writes.
FORBIDDEN_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection", "keep-alive",
                               "proxy-connection", "te", "trailer", "upgrade"})
PREFIX = {"video_analysis": "video-analysis", "media_analysis": "media-analysis", "text_translation": "translation"}
STATUS_OUT = {"queued": "pending", "running": "processing", "completed": "completed", "failed": "failed",
              "cancelled": "failed"}


def validate_headers(headers, field: list[str]) -> dict[str, str]:
    """The caller's extra headers: valid names, no forbidden or signature names, values on one line."""
    if headers is None:
        return {}
    if not isinstance(headers, dict) or len(headers) > MAX_HEADERS:
        raise ValidationFailed(f"webhook headers must be an object of at most {MAX_HEADERS} entries", field=field)
    seen: set[str] = set()
    for name, value in headers.items():
        if not isinstance(value, str) or not urls.HEADER_NAME.fullmatch(str(name)) or any(c in value for c in "\r\n\0"):
            raise ValidationFailed(f"webhook header {name!r} is not a valid header", field=field)
        lower = name.lower()
        if lower in FORBIDDEN_HEADERS or lower.startswith("webhook-"):
            raise ValidationFailed(f"webhook header {name!r} cannot be set: Host, Content-Length, Transfer-Encoding, "
                                   "Connection and other hop-by-hop headers, and webhook-* (the signature) are "
                                   "written by the sender", field=field)
        if lower in seen:
            raise ValidationFailed(f"webhook header {name!r} is given twice", field=field)
        seen.add(lower)
    return dict(headers)


def stored(secret_key: str, url: str, headers: dict[str, str]) -> dict:
    """The job row's `webhook`: the URL, the header names in clear, the values as one Fernet token (they are often
    the caller's credentials)."""
    return {"url": url, "header_names": sorted(headers),
            "headers_encrypted": secrets.encrypt(secret_key, HEADERS_PURPOSE, json.dumps(headers)) if headers else None}


def header_names(hook: dict | None) -> list[str]:
    hook = hook or {}
    return sorted(hook.get("header_names") or (hook.get("headers") or {}).keys())


def header_values(secret_key: str, hook: dict | None) -> dict[str, str]:
    """Both forms: rows written before 0008 kept the values in clear under `headers`."""
    hook = hook or {}
    if hook.get("headers_encrypted"):
        return json.loads(secrets.decrypt(secret_key, HEADERS_PURPOSE, hook["headers_encrypted"]))
    return {str(k): str(v) for k, v in (hook.get("headers") or {}).items()}


def public(hook: dict | None) -> dict | None:
    """What job events and snapshots carry: the URL and the header names, never a value (encrypted or not)."""
    if not hook:
        return hook
    return {"url": hook.get("url"), "header_names": header_names(hook)}


def event_name(kind: str, status: str) -> str | None:
    prefix = PREFIX.get(kind, kind.replace("_", "-"))
    suffix = {"running": "progress", "completed": "completed", "failed": "failed", "cancelled": "failed"}.get(status)
    return f"{prefix}.{suffix}" if suffix else None


def payload(event: str, snapshot) -> dict:
    """The AI Gateway's event body: `{event, data: {id, type, attributes, meta}}`. `error` is there only when the
    job failed; the gateway's own kinds show their documented options, and their documented Result replaces
    `result` when the event is delivered (domain/webhooks/results.py, workers/webhooks.py)."""
    from domain.webhooks import results

    data = snapshot.to_json()
    status = STATUS_OUT[data["status"]]
    gateway = data["kind"] in results.OPTIONS
    attributes = {"provider": data["provider"], "status": status, "progress": data["progress"],
                  # whole seconds with Z, as the gateway's document prints them (its REST rows trim the same way)
                  "created_at": rfc3339(snapshot.created_at, "seconds"),
                  "processed_at": rfc3339(snapshot.processed_at, "seconds"),
                  "completed_at": rfc3339(snapshot.completed_at, "seconds"), "input": data["input"],
                  "options": results.documented_options(data["kind"], data["options"], data.get("priority")),
                  "result": data["result"] if data["status"] == "completed" and not gateway else None}
    if status == "failed":
        attributes["error"] = {"code": data["error_code"] or ("CANCELLED" if data["status"] == "cancelled" else
                                                              "INTERNAL"),
                               "message": data["error_message"] or data["status"]}
    return {"event": event, "data": {
        "id": data["id"], "type": f"{PREFIX.get(data['kind'], data['kind'].replace('_', '-'))}-job",
        "attributes": attributes, "meta": {"client": data["client_meta"]}}}


def enqueue(uow: UnitOfWork, snapshot, dispatch) -> None:
    """Write the event in the job's own transaction (an outbox); send it only after that commits."""
    hook = snapshot.webhook or {}
    event = event_name(snapshot.kind, snapshot.status)
    if not hook.get("url") or event is None:
        return
    row = WebhookDelivery(id=uuid.uuid4(), tenant_id=snapshot.tenant_id, job_id=snapshot.id, event=event,
                          url=hook["url"], payload=payload(event, snapshot))
    repository.add(uow.session, row)
    outbox.send_webhook(uow, dispatch, row.id)


def new_secret() -> str:
    return "whsec_" + base64.b64encode(random.token_bytes(32)).decode()


async def rotate_secret(uow: UnitOfWork, secret_key: str, tenant_id: uuid.UUID) -> str:
    """A fresh signing secret, returned this once; only its encryption is stored."""
    raw = new_secret()
    found = await repository.secret(uow.session, tenant_id)
    if found is None:
        repository.add(uow.session, WebhookSecret(tenant_id=tenant_id, encrypted=secrets.encrypt(secret_key, PURPOSE, raw)))
    else:
        found.encrypted = secrets.encrypt(secret_key, PURPOSE, raw)
    await uow.session.flush()
    return raw


async def signing_secret(uow: UnitOfWork, secret_key: str, tenant_id: uuid.UUID) -> str:
    found = await repository.secret(uow.session, tenant_id)
    if found is None:  # deliveries are always signed (rotate to learn the secret); a tenant's first two deliveries
        # may race to make it: one insert wins and both sign with that one
        encrypted = secrets.encrypt(secret_key, PURPOSE, new_secret())
        await repository.add_secret_if_missing(uow.session, tenant_id, encrypted)
        found = await repository.secret(uow.session, tenant_id)
    return secrets.decrypt(secret_key, PURPOSE, found.encrypted)
