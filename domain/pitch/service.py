"""MediaPitch use cases: upload an audio (checked by its content), submit services, report results, notify, bill."""
from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from domain import languages, urls
from domain.assets import probing
from domain.assets import service as assets
from domain.assets.media import summarise
from domain.assets.models import PROCESSING, Asset
from domain.db import UnitOfWork
from domain.errors import (DomainError, ErrorCode, MediaUnreadable, NoProvider, NotFound, QuotaExceeded,
                           ValidationFailed)
from domain.jobs import lifecycle
from domain.jobs import repository as jobs_repo
from domain.jobs import service as jobs
from domain.jobs.models import COMPLETED, FAILED, QUEUED, RUNNING, TERMINAL, Job
from domain.pitch import repository
from domain.pitch.models import AUDIO, SERVICES, SUBMISSION, TASK, Submission
from domain.ports import Ports
from domain.tenancy import repository as tenancy_repo
from domain.tenancy.service import Viewer
from domain.transcripts import service as transcripts
from domain.translation.service import pick_provider
from domain.uploads import service as quota
from domain.usage import repository as usage_repo

log = logging.getLogger(__name__)
KIND = "submission"
# ffprobe's names for the accepted containers: mp3, wav, m4a, aac (ADTS), flac, ogg.
AUDIO_FORMATS = {"mp3": "mp3", "wav": "wav", "mov,mp4,m4a,3gp,3g2,mj2": "m4a", "aac": "aac", "flac": "flac",
                 "ogg": "ogg"}
ACCEPTED = "mp3, wav, m4a, aac, flac, ogg"


async def upload_audio(uow: UnitOfWork, ports: Ports, viewer: Viewer, path: Path, filename: str,
                       name: str | None, size: int) -> Asset:
    """Check the content (not the extension) is audio of an accepted type, store it, queue its probe."""
    limit = ports.settings.max_audio_upload_bytes
    if size > limit:
        raise ValidationFailed(f"The audio may not be greater than {limit // 1024} kilobytes.", field=["audio"])
    try:
        summary = summarise(await asyncio.to_thread(ports.media.probe, path))
    except MediaUnreadable as exc:
        raise ValidationFailed(f"The audio must be a file of type: {ACCEPTED}.", field=["audio"]) from exc
    report_format = (summary.media or {}).get("container")
    if not summary.has_audio or summary.has_video or report_format not in AUDIO_FORMATS:
        raise ValidationFailed(f"The audio must be a file of type: {ACCEPTED}.", field=["audio"])
    display = (name or "").strip() or filename
    if len(display) > 255:
        raise ValidationFailed("The name may not be greater than 255 characters.", field=["name"])
    asset_id = uuid.uuid4()
    key = assets.asset_prefix(viewer.tenant_id, asset_id) + "original/" + assets.safe_filename(filename)
    stored_size = await ports.storage.put_file(key, path, "application/octet-stream")  # before any row is written
    try:
        await quota.require(uow, ports.settings, viewer.tenant_id, stored_size, ["audio"], lock=True)
    except QuotaExceeded:
        await uow.rollback()  # first: the tenant's lock goes, and storage is called with no transaction open
        await ports.storage.delete_prefix(assets.asset_prefix(viewer.tenant_id, asset_id))
        raise
    asset = await assets.create(uow, viewer, assets.NewAsset(filename=display, asset_id=asset_id))
    await probing.record_original(uow, asset, key, stored_size)
    asset.status, asset.duration_ms = PROCESSING, summary.duration_ms
    await uow.session.flush()
    # Its submission's task transcribes it with the services asked for; the asset pipeline need not too.
    await jobs.create(uow, ports, viewer, kind="probe", asset_id=asset.id, priority="high",
                      input={"asset_id": str(asset.id), "transcribe": False})
    await repository.number(uow.session, viewer.tenant_id, AUDIO, asset.id)
    return asset


async def resolve(uow: UnitOfWork, viewer: Viewer, kind: str, value: str | int | None):
    """A MediaPitch number ("73") as the object's UUID in the viewer's tenant; a UUID (or anything else) as given.

    GraphQL ids stay UUIDs; MediaPitch paths and bodies carry the document's integers, and both name the same rows.
    """
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:  # isdigit alone takes "²", which int() refuses
        return value
    found = await repository.target(uow.session, viewer.tenant_id, kind, int(text))
    if found is None:
        raise NotFound(kind, text)
    return found


async def numbers(uow: UnitOfWork, kind: str, ids) -> dict[uuid.UUID, int]:
    return await repository.numbers(uow.session, kind, list(ids))


async def give_numbers(uow: UnitOfWork, tenant_id: uuid.UUID, kind: str, ids) -> dict[uuid.UUID, int]:
    """Numbers for objects written without one (tasks made outside this service), in `uow`'s own transaction:
    a number, once given, never changes. Two readers racing for one object: the second reads the first's."""
    try:
        given = await repository.give_numbers(uow.session, tenant_id, kind, list(ids))
        await uow.commit()
        return given
    except sa.exc.IntegrityError:
        await uow.rollback()
        return await repository.numbers(uow.session, kind, list(ids))


async def number(uow: UnitOfWork, tenant_id: uuid.UUID, kind: str, target_id: uuid.UUID) -> int:
    """In a write: the object's number, given one now if it was made without (a job written directly)."""
    return await repository.number(uow.session, tenant_id, kind, target_id)


@dataclass
class SubmissionRequest:
    audio_name: str
    services: list[str]
    audio_url: str | None = None
    audio_id: str | None = None
    audio_language: str | None = None
    context: str | None = None
    target_language: str | None = None


def _services(values: list[str]) -> list[str]:
    canonical = {s.lower(): s for s in SERVICES}
    if not values:
        raise ValidationFailed("The services field is required.", field=["services"])
    out = []
    for value in values:
        found = canonical.get(str(value).strip().lower())
        if found is None:
            raise ValidationFailed(f"The selected service {value!r} is invalid; one of: {', '.join(SERVICES)}.",
                                   field=["services"])
        if found not in out:
            out.append(found)
    return out


def _language(value: str | None, field: str) -> str | None:
    """A BCP 47 code or an English name ("English", "Spanish")."""
    if not value:
        return None
    lang = languages.by_code(value) if len(value) <= 8 else None
    lang = lang or next((l for l in languages.LANGUAGES if l.name.lower().startswith(value.strip().lower())), None)
    if lang is None:
        raise ValidationFailed(f"The {field.replace('_', ' ')} {value!r} is not a known language.", field=[field])
    return lang.code


async def submit(uow: UnitOfWork, ports: Ports, viewer: Viewer, req: SubmissionRequest) -> tuple[Submission, Job]:
    name = (req.audio_name or "").strip()
    if not name or len(name) > 255:
        raise ValidationFailed("The audio name field is required (at most 255 characters).", field=["audio_name"])
    services = _services(req.services)
    if not req.audio_url and not req.audio_id:
        raise ValidationFailed("The audio url field is required when audio id is not present.", field=["audio_url"])
    if req.context and len(req.context) > 5000:
        raise ValidationFailed("The context may not be greater than 5000 characters.", field=["context"])
    source = transcripts.transcribable_language(ports, _language(req.audio_language, "audio_language"),
                                                ["audio_language"])
    if "Paraphrase" in services and not any("paraphrase" in p.resources["language_model"].features
                                            for p in ports.registry.all("language_model")):
        raise NoProvider("Paraphrase needs a language-model provider (set OPENAI_BASE_URL); none is configured.",
                         field=["services"])
    target = None
    if "Translate" in services:
        target = _language(req.target_language, "target_language") or ("es-ES" if source.startswith("en") else "en-US")
        pick_provider(ports.registry, [target], None, None, ["target_language"])
    if req.audio_id:
        try:
            asset = await assets.get(uow, viewer, await resolve(uow, viewer, AUDIO, req.audio_id))
        except NotFound as exc:
            raise ValidationFailed("The selected audio id is invalid.", field=["audio_id"]) from exc
    else:
        await urls.check(req.audio_url, allow_private=ports.settings.allow_private_urls, field=["audio_url"])
        asset = await assets.create(uow, viewer, assets.NewAsset(filename=name))
        asset.status = PROCESSING
    submission = Submission(id=uuid.uuid4(), tenant_id=viewer.tenant_id, asset_id=asset.id, audio_name=name,
                            services=services, context=req.context, language=source, target_language=target)
    repository.add(uow.session, submission)
    await uow.session.flush()
    task = await jobs.create(uow, ports, viewer, kind=KIND, asset_id=asset.id, label="&".join(services),
                             input={"submission_id": str(submission.id), "asset_id": str(asset.id),
                                    **({"url": req.audio_url} if not req.audio_id else {})},
                             options={"services": services, "language": source, "target_language": target,
                                      "context": req.context})
    submission.task_id = task.id
    await uow.session.flush()
    await repository.number(uow.session, viewer.tenant_id, SUBMISSION, submission.id)
    await repository.number(uow.session, viewer.tenant_id, TASK, task.id)
    return submission, task


async def get_submission(uow: UnitOfWork, viewer: Viewer, submission_id: str) -> Submission:
    found = await repository.get(uow.session, viewer.tenant_id,
                                 jobs.parse_id(await resolve(uow, viewer, SUBMISSION, submission_id), "submission"))
    if found is None:
        raise NotFound("submission", submission_id)
    return found


# Worker statuses mapped onto the task: completed ends it well, failed ends it badly, others are progress.
CALLBACK_STATUSES = {"completed": COMPLETED, "done": COMPLETED, "failed": FAILED, "error": FAILED}


async def record_result(uow: UnitOfWork, ports: Ports, viewer: Viewer, task_id: str, status: str,
                        result=None, result_id: int | None = None, zip_path: str | None = None) -> Job:
    """A processing worker reports on a task: completion notifies the user and settles credits."""
    if not (viewer.is_admin or viewer.is_worker):
        # A tenant's own key must not mark its tasks done (and settle their credits) itself.
        raise DomainError("task results are reported by processing workers: use an admin or worker API key",
                          code=ErrorCode.FORBIDDEN)
    task = await jobs.get(uow, viewer, await resolve(uow, viewer, TASK, task_id), kind=KIND)
    status = (status or "").strip().lower()
    if not status or len(status) > 32:
        raise ValidationFailed("The status field is required.", field=["status"])
    task = await jobs_repo.locked(uow.session, task)  # our own runner may be reporting on it this instant
    if task.status in TERMINAL:
        raise DomainError(f"task {task.id} is already {task.status}", code=ErrorCode.CONFLICT, field=["status"])
    report = {"from": status, "payload": result, "result_id": result_id, "zip": zip_path}
    target = CALLBACK_STATUSES.get(status)
    if target == COMPLETED:
        await complete_task(uow, ports, task, report)
    elif target == FAILED:
        await lifecycle.change(uow, ports, task, status=FAILED, result=report, error=DomainError(
            f"the processing worker reported {status}", code=ErrorCode.PROVIDER_UNAVAILABLE))
    else:
        await lifecycle.change(uow, ports, task, stage=status, result=report)
    return task


async def complete_task(uow: UnitOfWork, ports: Ports, task: Job, result: dict) -> None:
    """Completion in the caller's transaction; credits from the usage records; the notice after commit."""
    if task.status == QUEUED:  # a worker outside reported before ours started: the task still passes running
        await lifecycle.change(uow, ports, task, status=RUNNING)
    await lifecycle.change(uow, ports, task, status=COMPLETED, result=result, stage=None)
    await settle(uow, ports, task)


async def settle(uow: UnitOfWork, ports: Ports, task: Job) -> None:
    session = uow.session
    children = await jobs_repo.children(session, task.tenant_id, [task.id])
    records = await usage_repo.for_jobs(session, [task.id] + [c.id for c in children])
    spent = round(sum(r.quantity for r in records if r.unit == "second"), 3)
    await tenancy_repo.add_credits(session, task.tenant_id, spent)
    tenant = await tenancy_repo.get_tenant(session, task.tenant_id)
    if tenant.notification_email and ports.mailer is not None:
        to, mailer = tenant.notification_email, ports.mailer
        subject = f"Your task {task.label or task.kind} is done"
        body = (f"Task {task.id} ({task.label}) completed at {task.completed_at:%Y-%m-%d %H:%M UTC}.\n"
                f"Credits used by this task: {spent} seconds of audio.\n")

        async def send() -> None:  # after commit: never mail about a change that rolled back
            try:
                await mailer.send(to, subject, body)
            except Exception:
                log.warning("completion mail for task %s failed", task.id, exc_info=True)

        uow.after_commit(send)


async def set_notification_email(uow: UnitOfWork, viewer: Viewer, email: str | None) -> None:
    value = (email or "").strip() or None
    if value and ("@" not in value or len(value) > 320 or any(c in value for c in "\r\n ")):
        raise ValidationFailed("not a valid email address", field=["input", "notificationEmail"])
    tenant = await tenancy_repo.get_tenant(uow.session, viewer.tenant_id)
    tenant.notification_email = value
    await uow.session.flush()
