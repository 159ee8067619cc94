"""Send readers' page views to a read replica when one is configured (settings.DATABASE_REPLICA_URL).

Only requests the middleware marks read from the replica: anonymous GET and HEAD requests outside the admin.
Everything else reads and writes the primary: the admin, logged-in editors (they must see what they just
saved), form posts and the view beacon, and management commands.
"""

from contextvars import ContextVar

from django.conf import settings
from django.urls import reverse

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary


class ReplicaMiddleware:
    """Mark a request as a reader's: safe method, no session, not the admin."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        public = (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.admin_prefix)
        )
        token = _reading_replica.set(public)
        try:
            return self.get_response(request)
        finally:
            _reading_replica.reset(token)
