"""Mail adapters: SMTP (`SMTP_URL`, smtp:// or smtps://, with STARTTLS when the server offers it) or none."""
from __future__ import annotations

import asyncio
import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)


class SmtpMailer:
    """stdlib smtplib on a thread: one short connection per message keeps no state to go stale."""

    def __init__(self, url: str, sender: str, timeout: float = 20.0):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError("SMTP_URL must start with smtp:// or smtps://")
        self.tls = parts.scheme == "smtps"
        self.host, self.port = parts.hostname or "localhost", parts.port or (465 if self.tls else 25)
        self.user, self.password = unquote(parts.username or ""), unquote(parts.password or "")
        self.sender, self.timeout = sender, timeout

    def _send(self, message: EmailMessage) -> None:
        factory = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        with factory(self.host, self.port, timeout=self.timeout) as client:
            if not self.tls and client.has_extn("starttls"):
                client.starttls()
            if self.user:
                client.login(self.user, self.password)
            client.send_message(message)

    async def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, to, subject
        message.set_content(body)
        await asyncio.to_thread(self._send, message)


class NoMailer:
    async def send(self, to: str, subject: str, body: str) -> None:
        log.info("no SMTP_URL set: not mailing %r", subject)


def build(settings):
    return SmtpMailer(settings.smtp_url, settings.mail_from) if settings.smtp_url else NoMailer()
