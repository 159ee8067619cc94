"""What a locked-out editor sees: the admin login page again, saying until when logins are refused.

django-axes calls `locked_out` (AXES_LOCKOUT_CALLABLE) in place of the response to a refused login; its own
answer is a bare line of text with no time in it.
"""

from datetime import datetime, timedelta

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone


def locked_until(request, credentials) -> datetime | None:
    """When the failures counted against this account or this address have all expired."""
    username = get_client_username(request, credentials)
    failures = AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=request.axes_ip_address))
    last = failures.aggregate(last=Max("attempt_time"))["last"]
    return last + get_cool_off(request) if last else None


def message(until: datetime | None) -> str:
    text = "Too many failed logins for this account or from this address."
    if until is None:
        return f"{text} Try again later, or ask an editor to unlock it."
    until = timezone.localtime(until + timedelta(seconds=59)).replace(second=0, microsecond=0)
    when = until.strftime("%H:%M" if until.date() == timezone.localdate() else "%d %b %Y, %H:%M")
    return f"{text} Try again after {when} ({until.tzname()}), or ask an editor to unlock it."


def locked_out(request, original_response=None, credentials=None):
    """The login page with the lockout as its error (HTTP 429), or the message alone for another form."""
    text = message(locked_until(request, credentials))
    status = settings.AXES_HTTP_RESPONSE_CODE
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if form is None:
        return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    # The form said "wrong username or password", which would send the editor guessing again.
    form.errors[NON_FIELD_ERRORS] = form.error_class([text], error_class="nonfield")
    # Rendered here: AxesMiddleware swaps the response in after the handler has rendered templates.
    return TemplateResponse(request, original_response.template_name, context, status=status).render()
