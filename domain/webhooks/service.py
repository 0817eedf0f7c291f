"""Webhook events: which transitions notify, the payload, the outbox row, the tenant's signing secret."""
from __future__ import annotations

import base64
import secrets as random
import uuid

from domain import secrets
from domain.db import UnitOfWork
from domain.webhooks import repository
from domain.webhooks.models import WebhookDelivery, WebhookSecret

PURPOSE = "webhook-secret"
PREFIX = {"video_analysis": "video-analysis", "media_analysis": "media-analysis", "text_translation": "translation"}
STATUS_OUT = {"queued": "pending", "running": "processing", "completed": "completed", "failed": "failed",
              "cancelled": "failed"}


def event_name(kind: str, status: str) -> str | None:
    prefix = PREFIX.get(kind, kind.replace("_", "-"))
    suffix = {"running": "progress", "completed": "completed", "failed": "failed", "cancelled": "failed"}.get(status)
    return f"{prefix}.{suffix}" if suffix else None


def payload(event: str, snapshot) -> dict:
    """The AI Gateway's event body: `{event, data: {id, type, attributes, meta}}`."""
    data = snapshot.to_json()
    error = {"code": data["error_code"], "message": data["error_message"]} if data["error_code"] else None
    return {"event": event, "data": {
        "id": data["id"], "type": f"{PREFIX.get(data['kind'], data['kind'].replace('_', '-'))}-job",
        "attributes": {"provider": data["provider"], "status": STATUS_OUT[data["status"]], "progress": data["progress"],
                       "error": error, "created_at": data["created_at"], "processed_at": data["processed_at"],
                       "completed_at": data["completed_at"], "input": data["input"], "options": data["options"],
                       "result": data["result"] if data["status"] == "completed" else None},
        "meta": {"client": data["client_meta"]}}}


def enqueue(uow: UnitOfWork, snapshot, dispatch) -> None:
    """Write the event in the job's own transaction (an outbox); send it only after that commits."""
    hook = snapshot.webhook or {}
    event = event_name(snapshot.kind, snapshot.status)
    if not hook.get("url") or event is None:
        return
    row = WebhookDelivery(id=uuid.uuid4(), tenant_id=snapshot.tenant_id, job_id=snapshot.id, event=event,
                          url=hook["url"], payload=payload(event, snapshot))
    repository.add(uow.session, row)
    uow.after_commit(lambda: dispatch(row.id))


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
    if found is None:  # deliveries are always signed; rotate to learn a secret
        return await rotate_secret(uow, secret_key, tenant_id)
    return secrets.decrypt(secret_key, PURPOSE, found.encrypted)
