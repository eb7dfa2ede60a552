"""The session store: Django's database sessions, read with SQL worked out
once per process (portal.db.precompiled) instead of on every request.

Django reads a session by its key and `expire_date > now`; here the row is
read by its key and its expiry compared in Python, which answers the same
(an expired session is no session). Writing, rotating and clearing sessions
are Django's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.db.precompiled import Precompiled

_SESSION_READ = Precompiled(
    lambda key: Session.objects.filter(session_key=key), keys=(str,)
)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        if self.get_model_class() is not Session or not self.session_key:
            return super()._get_session_from_db()  # type: ignore[misc]  # not in the stubs
        found = _SESSION_READ(self.session_key)
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
