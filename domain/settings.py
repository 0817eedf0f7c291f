"""Runtime settings read from the environment (the names are a contract; see README)."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from domain.jobs.deadlines import DEFAULT_DEADLINES, parse as _deadlines


def _choice(value: str | None, allowed: tuple[str, ...], name: str) -> str:
    """One of `allowed` (the first when unset); anything else stops the process with a clear message."""
    value = (value or allowed[0]).strip().lower()
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _normalise_db_url(url: str) -> str:
    # Operators paste libpq-style URLs; the async engine needs an explicit driver.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url[len("postgresql://"):]
    if url.startswith("sqlite:///"):
        url = "sqlite+aiosqlite:///" + url[len("sqlite:///"):]
    return url


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None = None
    port: int = 8000
    public_base_url: str = "http://localhost:8000"
    storage: str = "local"
    s3_endpoint_url: str | None = None
    s3_bucket: str = "mediagraph"
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None
    aws_region: str = "us-east-1"
    bootstrap_api_key: str | None = None
    allow_private_urls: bool = False
    secret_key: str = ""
    embedded_workers: bool = True
    worker_threads: int = 4
    worker_poll_ms: int = 20
    # Threads per process for short kinds only (probe, branding upload, webhooks): capacity long work cannot take.
    short_worker_threads: int = 2
    # The nice value long work runs at (0 = as the rest of the process), so short work gets the CPU first.
    long_work_nice: int = 10
    # Which lanes a worker process runs: all (both), short or long (one lane per process: nothing shared).
    worker_lanes: str = "all"
    # With `all`, `app.py worker` runs the short lane in a supervised child process (its own GIL), the long one itself.
    short_lane_process: bool = True
    redis_namespace: str = "mediagraph"
    max_body_bytes: int = 10_000_000
    max_part_bytes: int = 5 * 1024**3
    max_download_bytes: int = 5 * 1024**3
    upload_url_ttl_s: int = 3600
    # Exports: the STS endpoint that assumes customers' roles (AWS when unset), the GCS API endpoint (Google when
    # unset), and how long a synchronous export route waits for its job.
    export_sts_endpoint_url: str | None = None
    gcs_endpoint_url: str | None = None
    export_wait_s: float = 300.0
    # One webhook attempt (connect, send, read the capped answer) ends within this many seconds.
    webhook_timeout_s: float = 10.0
    # Jobs (README "Jobs: claims, heartbeats, deadlines"): a running job's worker beats every ttl/5; a job whose beat
    # is older than the TTL is requeued by the reaper, which every process runs every REAPER_INTERVAL_S, at most
    # REAPER_BATCH jobs a sweep; after JOB_MAX_ATTEMPTS claims it fails (WORKER_LOST). A running job past its kind's
    # deadline (JOB_DEADLINES, else JOB_DEADLINE_S) fails with DEADLINE_EXCEEDED.
    job_heartbeat_ttl_s: float = 15
    job_max_attempts: int = 3
    reaper_interval_s: float = 5
    reaper_batch: int = 100
    job_deadline_s: float = 3600
    job_deadlines: tuple[tuple[str, float], ...] = tuple(sorted(DEFAULT_DEADLINES.items()))
    token_ttl_s: int = 900
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    oidc_tenant_claim: str = "tenant"
    # Translation and language-model providers (only configured ones are registered).
    translation_providers: tuple[str, ...] = ("google",)
    libretranslate_url: str | None = None
    libretranslate_api_key: str | None = None
    deepl_api_key: str | None = None
    deepl_free_api: bool = False
    microsoft_translator_key: str | None = None
    microsoft_translator_region: str | None = None
    yandex_api_key: str | None = None
    papago_client_id: str | None = None
    papago_secret_key: str | None = None
    qcri_api_key: str | None = None
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_vision: bool = False
    provider_timeout_s: float = 30.0
    provider_attempts: int = 3
    max_text_chars: int = 100_000
    # Hard limits (README "Hard limits"): what a DOCX may unpack to; every ffmpeg/ffprobe/espeak-ng run's time limit,
    # a floor plus a share per second of the media it reads or writes; media a probe accepts (0 = no limit).
    max_document_bytes: int = 64 * 1024 * 1024
    media_tool_timeout_s: float = 300.0
    media_tool_timeout_per_second: float = 10.0
    max_media_duration_s: float = 6 * 3600.0
    max_video_pixels: int = 7680 * 4320
    max_streams: int = 32
    # Editor generation (README "AI generation"): a remote provider for prompts the local region edits do not cover.
    generation_provider_url: str | None = None
    generation_provider_api_key: str | None = None
    generation_timeout_s: float = 600.0
    smtp_url: str | None = None
    mail_from: str = "Mediagraph <noreply@localhost>"
    max_audio_upload_bytes: int = 25 * 1024 * 1024
    # Abuse limits (0 turns one off): requests a minute per tenant on /graphql and on each REST dialect that
    # documents no figure of its own; failed authentications and /oauth/token requests a minute per client address;
    # GraphQL cost (objects a query may ask for), items per list argument, client_meta size; live subscriptions per
    # websocket and per tenant; how often an open websocket re-checks its key.
    rate_limit_per_minute: int = 1200
    auth_failures_per_minute: int = 30
    token_requests_per_minute: int = 30
    graphql_max_cost: int = 50_000
    graphql_max_list_items: int = 1000
    client_meta_max_bytes: int = 16 * 1024
    subscriptions_per_connection: int = 10
    subscriptions_per_tenant: int = 100
    key_recheck_s: float = 5.0
    # Storage abuse limits: bytes a tenant may keep (0 = no quota; a tenant's own quota_bytes overrides it),
    # how long an unfinished upload may wait before the sweeper aborts it, and how many it aborts per sweep.
    tenant_quota_bytes: int = 0
    upload_ttl_s: int = 24 * 3600
    upload_sweep_batch: int = 100
    # Storage tombstones: how many the reconciler takes per sweep, and the first wait after a failed removal
    # (doubled each time, at most an hour).
    reconcile_batch: int = 100
    reconcile_retry_s: int = 60
    # Operating it (README "Operating it"): on SIGTERM a worker lets running jobs finish for WORKER_GRACE_S, then puts
    # the rest back in the queue; `serve` waits as long for open requests. METRICS_TOKEN (bearer) opens /metrics to
    # other hosts (without it only loopback may read it); terminal jobs and deliveries count over METRICS_WINDOW_S.
    worker_grace_s: float = 30.0
    metrics_token: str | None = None
    metrics_window_s: float = 3600.0
    # The outbox and the event log: how long a commit's own send gets before the sweeper sends a job or webhook again,
    # rows per sweep, how long an undelivered webhook may sit idle before its message counts as lost, and how long
    # job events are kept for replay (`after` cursors), deleted `event_sweep_batch` rows a transaction.
    outbox_grace_s: float = 5.0
    outbox_batch: int = 100
    webhook_stalled_after_s: float = 900.0
    # Queued this long and never attempted: its message was lost (Redis restarted, or its worker was killed).
    webhook_unattempted_after_s: float = 60.0
    event_retention_s: float = 86400.0
    event_sweep_batch: int = 1000

    def deadline_s(self, kind: str) -> float:
        return dict(self.job_deadlines).get(kind, self.job_deadline_s)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> "Settings":
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("DATA_DIR") or "./data").resolve()
        port = int(env.get("PORT") or 8000)
        redis_url = env.get("REDIS_URL") or None
        values = dict(
            data_dir=data_dir,
            database_url=_normalise_db_url(
                env.get("DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'mediagraph.db'}"
            ),
            redis_url=redis_url,
            port=port,
            public_base_url=(env.get("PUBLIC_BASE_URL") or f"http://localhost:{port}").rstrip("/"),
            storage=(env.get("STORAGE") or "local").lower(),
            s3_endpoint_url=env.get("S3_ENDPOINT_URL") or None,
            s3_bucket=env.get("S3_BUCKET") or "mediagraph",
            aws_access_key_id=env.get("AWS_ACCESS_KEY_ID") or None,
            aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY") or None,
            aws_region=env.get("AWS_REGION") or "us-east-1",
            bootstrap_api_key=env.get("BOOTSTRAP_API_KEY") or None,
            allow_private_urls=_flag(env.get("ALLOW_PRIVATE_URLS")),
            secret_key=env.get("SECRET_KEY") or "",
            # Without Redis there is no queue another process could read: workers must run inside.
            embedded_workers=_flag(env.get("EMBEDDED_WORKERS"), default=redis_url is None),
            worker_threads=int(env.get("WORKER_THREADS") or 4),
            worker_poll_ms=int(env.get("WORKER_POLL_MS") or 20),
            short_worker_threads=max(1, int(env.get("SHORT_WORKER_THREADS") or 2)),
            long_work_nice=int(env.get("LONG_WORK_NICE") or 10),
            worker_lanes=_choice(env.get("WORKER_LANES"), ("all", "short", "long"), "WORKER_LANES"),
            short_lane_process=_flag(env.get("SHORT_LANE_PROCESS"), default=True),
            redis_namespace=env.get("REDIS_NAMESPACE") or "mediagraph",
            max_body_bytes=int(env.get("MAX_BODY_BYTES") or 10_000_000),
            token_ttl_s=int(env.get("TOKEN_TTL_S") or 900),
            max_download_bytes=int(env.get("MAX_DOWNLOAD_BYTES") or 5 * 1024**3),
            export_sts_endpoint_url=env.get("EXPORT_STS_ENDPOINT_URL") or None,
            gcs_endpoint_url=(env.get("GCS_ENDPOINT_URL") or "").rstrip("/") or None,
            export_wait_s=float(env.get("EXPORT_WAIT_S") or 300),
            webhook_timeout_s=float(env.get("WEBHOOK_TIMEOUT_S") or 10),
            oidc_issuer=env.get("OIDC_ISSUER") or None,
            oidc_audience=env.get("OIDC_AUDIENCE") or None,
            oidc_jwks_url=env.get("OIDC_JWKS_URL") or None,
            oidc_tenant_claim=env.get("OIDC_TENANT_CLAIM") or "tenant",
            translation_providers=tuple(p.strip().lower() for p in (
                env.get("TRANSLATION_PROVIDERS") if env.get("TRANSLATION_PROVIDERS") is not None else "google"
            ).split(",") if p.strip()),
            libretranslate_url=env.get("LIBRETRANSLATE_URL") or None,
            libretranslate_api_key=env.get("LIBRETRANSLATE_API_KEY") or None,
            deepl_api_key=env.get("DEEPL_API_KEY") or None,
            deepl_free_api=_flag(env.get("DEEPL_FREE_API")),
            microsoft_translator_key=env.get("MICROSOFT_TRANSLATOR_KEY") or None,
            microsoft_translator_region=env.get("MICROSOFT_TRANSLATOR_REGION") or None,
            yandex_api_key=env.get("YANDEX_API_KEY") or None,
            papago_client_id=env.get("PAPAGO_CLIENT_ID") or None,
            papago_secret_key=env.get("PAPAGO_SECRET_KEY") or None,
            qcri_api_key=env.get("QCRI_API_KEY") or None,
            openai_base_url=(env.get("OPENAI_BASE_URL") or "").rstrip("/") or None,
            openai_api_key=env.get("OPENAI_API_KEY") or None,
            openai_model=env.get("OPENAI_MODEL") or "gpt-4o-mini",
            openai_vision=_flag(env.get("OPENAI_VISION")),
            provider_timeout_s=float(env.get("PROVIDER_TIMEOUT_S") or 30),
            provider_attempts=int(env.get("PROVIDER_ATTEMPTS") or 3),
            max_text_chars=int(env.get("MAX_TEXT_CHARS") or 100_000),
            max_document_bytes=int(env.get("MAX_DOCUMENT_BYTES") or 64 * 1024 * 1024),
            media_tool_timeout_s=float(env.get("MEDIA_TOOL_TIMEOUT_S") or 300),
            media_tool_timeout_per_second=float(env.get("MEDIA_TOOL_TIMEOUT_PER_SECOND") or 10),
            max_media_duration_s=float(env.get("MAX_MEDIA_DURATION_S") or 6 * 3600),
            max_video_pixels=int(env.get("MAX_VIDEO_PIXELS") or 7680 * 4320),
            max_streams=int(env.get("MAX_STREAMS") or 32),
            generation_provider_url=(env.get("GENERATION_PROVIDER_URL") or "").rstrip("/") or None,
            generation_provider_api_key=env.get("GENERATION_PROVIDER_API_KEY") or None,
            generation_timeout_s=float(env.get("GENERATION_TIMEOUT_S") or 600),
            smtp_url=env.get("SMTP_URL") or None,
            mail_from=env.get("MAIL_FROM") or "Mediagraph <noreply@localhost>",
            rate_limit_per_minute=int(env.get("RATE_LIMIT_PER_MINUTE") or 1200),
            auth_failures_per_minute=int(env.get("AUTH_FAILURES_PER_MINUTE") or 30),
            token_requests_per_minute=int(env.get("TOKEN_REQUESTS_PER_MINUTE") or 30),
            graphql_max_cost=int(env.get("GRAPHQL_MAX_COST") or 50_000),
            graphql_max_list_items=int(env.get("GRAPHQL_MAX_LIST_ITEMS") or 1000),
            client_meta_max_bytes=int(env.get("CLIENT_META_MAX_BYTES") or 16 * 1024),
            subscriptions_per_connection=int(env.get("SUBSCRIPTIONS_PER_CONNECTION") or 10),
            subscriptions_per_tenant=int(env.get("SUBSCRIPTIONS_PER_TENANT") or 100),
            key_recheck_s=float(env.get("KEY_RECHECK_S") or 5),
            tenant_quota_bytes=int(env.get("TENANT_QUOTA_BYTES") or 0),
            upload_ttl_s=int(env.get("UPLOAD_TTL_S") or 24 * 3600),
            upload_sweep_batch=int(env.get("UPLOAD_SWEEP_BATCH") or 100),
            reconcile_batch=int(env.get("RECONCILE_BATCH") or 100),
            reconcile_retry_s=int(env.get("RECONCILE_RETRY_S") or 60),
            worker_grace_s=float(env.get("WORKER_GRACE_S") or 30),
            metrics_token=env.get("METRICS_TOKEN") or None,
            metrics_window_s=float(env.get("METRICS_WINDOW_S") or 3600),
            outbox_grace_s=float(env.get("OUTBOX_GRACE_S") or 5),
            outbox_batch=int(env.get("OUTBOX_BATCH") or 100),
            webhook_stalled_after_s=float(env.get("WEBHOOK_STALLED_AFTER_S") or 900),
            webhook_unattempted_after_s=float(env.get("WEBHOOK_UNATTEMPTED_AFTER_S") or 60),
            event_retention_s=float(env.get("EVENT_RETENTION_S") or 86400),
            event_sweep_batch=int(env.get("EVENT_SWEEP_BATCH") or 1000),
            job_heartbeat_ttl_s=float(env.get("JOB_HEARTBEAT_TTL_S") or 15),
            job_max_attempts=max(1, int(env.get("JOB_MAX_ATTEMPTS") or 3)),
            reaper_interval_s=float(env.get("REAPER_INTERVAL_S") or 5),
            reaper_batch=max(1, int(env.get("REAPER_BATCH") or 100)),
            job_deadline_s=float(env.get("JOB_DEADLINE_S") or 3600),
            job_deadlines=_deadlines(env.get("JOB_DEADLINES")),
        )
        values.update(overrides)
        settings = cls(**values)
        if settings.storage not in {"local", "s3"}:
            raise ValueError(f"STORAGE must be 'local' or 's3', not {settings.storage!r}")
        return settings

    def with_secret(self) -> "Settings":
        """Fill secret_key from SECRET_KEY or a key file kept in DATA_DIR (made once)."""
        if self.secret_key:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "secret.key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        object.__setattr__(self, "secret_key", path.read_text().strip())
        return self
