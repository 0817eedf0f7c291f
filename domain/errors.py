"""Domain errors with stable machine codes; every outer layer renders these in its own dialect."""
from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    NOT_FOUND = "NOT_FOUND"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    MEDIA_UNREADABLE = "MEDIA_UNREADABLE"
    UNSUPPORTED_MEDIA = "UNSUPPORTED_MEDIA"
    AUDIO_UNREADABLE = "AUDIO_UNREADABLE"
    UNSUPPORTED_LANGUAGE = "UNSUPPORTED_LANGUAGE"
    NO_PROVIDER = "NO_PROVIDER"
    NO_LANGUAGE_MODEL = "NO_LANGUAGE_MODEL"  # a free-form instruction (MetaVision custom_category) without a model
    PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE"
    UNSUPPORTED_PROMPT = "UNSUPPORTED_PROMPT"  # a generation prompt no configured provider can perform
    RESULT_NOT_READY = "RESULT_NOT_READY"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    RATE_LIMITED = "RATE_LIMITED"
    CONFLICT = "CONFLICT"
    CANCELLED = "CANCELLED"
    BRANDING_VARIANT_MISSING = "BRANDING_VARIANT_MISSING"
    NOT_SUPPORTED = "NOT_SUPPORTED"
    EXPORT_FAILED = "EXPORT_FAILED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    WORKER_LOST = "WORKER_LOST"
    MEDIA_TIMEOUT = "MEDIA_TIMEOUT"  # ffmpeg/ffprobe (or another tool) ran past its time limit and was killed
    MEDIA_LIMIT_EXCEEDED = "MEDIA_LIMIT_EXCEEDED"  # duration, pixels or streams over the configured limits
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"  # a running job past its kind's deadline (JOB_DEADLINES)
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    UPLOAD_EXPIRED = "UPLOAD_EXPIRED"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"  # the same key with another request (IETF draft: 422)
    IDEMPOTENCY_KEY_IN_USE = "IDEMPOTENCY_KEY_IN_USE"  # the same key while its first request still runs (409)
    CURSOR_EXPIRED = "CURSOR_EXPIRED"  # a subscription's `after` older than the retained events: some are gone
    INTERNAL = "INTERNAL"


class DomainError(Exception):
    """A failure the caller can act on. `field` is the path to the offending input."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str, *, field: list[str] | None = None, code: ErrorCode | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND

    def __init__(self, what: str, ident: object = None, *, field: list[str] | None = None):
        suffix = f" {ident}" if ident is not None else ""
        super().__init__(f"{what}{suffix} not found", field=field)


class ValidationFailed(DomainError):
    code = ErrorCode.VALIDATION_FAILED


class Conflict(DomainError):
    code = ErrorCode.CONFLICT


class MediaUnreadable(DomainError):
    code = ErrorCode.MEDIA_UNREADABLE


class UnsupportedMedia(MediaUnreadable):
    """A file ffmpeg may not open: a playlist, script or reference that names other files, or an unlisted format."""

    code = ErrorCode.UNSUPPORTED_MEDIA


class AudioUnreadable(DomainError):
    code = ErrorCode.AUDIO_UNREADABLE


class UnsupportedLanguage(DomainError):
    code = ErrorCode.UNSUPPORTED_LANGUAGE


class NoProvider(DomainError):
    code = ErrorCode.NO_PROVIDER


class NoLanguageModel(NoProvider):
    """A request only a configured language model can answer (OPENAI_BASE_URL), on a deployment without one."""

    code = ErrorCode.NO_LANGUAGE_MODEL


class Unauthenticated(DomainError):
    code = ErrorCode.UNAUTHENTICATED


class AccountDisabled(DomainError):
    """A known key whose tenant was disabled or which was revoked: 403, not 401, so clients stop retrying."""

    code = ErrorCode.FORBIDDEN


class PayloadTooLarge(DomainError):
    code = ErrorCode.PAYLOAD_TOO_LARGE


class QuotaExceeded(DomainError):
    """The tenant's storage quota would be exceeded: 413 in REST, like any payload too large for its place."""

    code = ErrorCode.QUOTA_EXCEEDED


class UnsupportedPrompt(DomainError):
    """A generation prompt the local provider cannot map to an operation, with no remote provider to take it."""

    code = ErrorCode.UNSUPPORTED_PROMPT
