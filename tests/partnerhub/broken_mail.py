"""An e-mail backend whose server is down (a settings choice, like the locmem one)."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class SmtpDownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
