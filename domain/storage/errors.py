"""Storage-specific failures the HTTP layer renders as 403/404/413."""
from domain.errors import DomainError, ErrorCode


class SignatureInvalid(DomainError):
    code = ErrorCode.FORBIDDEN


class UploadGone(DomainError):
    code = ErrorCode.NOT_FOUND
