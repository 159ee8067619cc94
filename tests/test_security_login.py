"""Login throttling: failed logins lock the account and the address out for a cool-off, then let go."""

import io
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles import roles

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ATTACKER, EDITOR_DESK, ELSEWHERE = "198.51.100.7", "192.0.2.10", "203.0.113.99"


@pytest.fixture(autouse=True)
def throttled(settings):
    settings.AXES_ENABLED = True  # off for the rest of the suite (tests/settings.py)
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password="right-horse-battery", is_staff=True)


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create_user("writer", password="other-staple-7", is_staff=True)


@contextmanager
def clock_at(moment):
    """Django's clock and the copies django-axes imported, all at `moment` (no sleeping)."""
    with (
        patch("django.utils.timezone.now", return_value=moment),
        patch("axes.handlers.proxy.now", return_value=moment),
        patch("axes.attempts.now", return_value=moment),
    ):
        yield


def log_in(username, password, address=ATTACKER, **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    return response, "_auth_user_id" in client.session


def fail(times, username="editor", address=ATTACKER):
    for _ in range(times):
        log_in(username, "wrong-guess", address)


def test_the_right_password_is_refused_after_five_wrong_ones_with_the_time_to_try_again(editor):
    for attempt in range(4):
        response, logged_in = log_in("editor", f"guess-{attempt}")
        assert response.status_code == 200 and not logged_in
    response, _ = log_in("editor", "guess-5")
    assert response.status_code == 429  # the fifth failure locks
    response, logged_in = log_in("editor", "right-horse-battery")
    assert response.status_code == 429 and not logged_in
    html = response.content.decode()
    until = timezone.localtime(AccessAttempt.objects.get().attempt_time + timedelta(minutes=15, seconds=59))
    assert "Too many failed logins for this account or from this address." in html
    assert f"Try again after {until:%H:%M}" in html
    assert 'id="login-form"' in html  # the login page itself, not a bare line of text
    assert "Please enter the correct username" not in html


def test_sixty_wrong_passwords_do_not_move_the_end_of_the_lockout_on(editor):
    fail(5)
    locked_at = AccessAttempt.objects.get().attempt_time
    fail(55)
    attempt = AccessAttempt.objects.get()
    assert attempt.attempt_time == locked_at and attempt.failures_since_start == 5


def test_the_right_password_works_again_after_the_cool_off(editor):
    fail(5)
    with clock_at(timezone.now() + timedelta(minutes=14)):
        assert not log_in("editor", "right-horse-battery")[1]  # a minute early
    with clock_at(timezone.now() + timedelta(minutes=16)):
        response, logged_in = log_in("editor", "right-horse-battery")
    assert response.status_code == 302 and logged_in


def test_the_account_is_locked_from_every_address_and_the_address_for_every_account(editor, other):
    fail(5, "editor", ATTACKER)
    assert not log_in("editor", "right-horse-battery", ELSEWHERE)[1]  # a botnet gets five guesses, not more
    assert not log_in("writer", "other-staple-7", ATTACKER)[1]  # one address cannot go on to the next name


def test_another_client_on_another_account_is_unaffected(editor, other):
    fail(60, "editor", ATTACKER)
    assert not log_in("editor", "right-horse-battery", ATTACKER)[1]
    response, logged_in = log_in("writer", "other-staple-7", EDITOR_DESK)
    assert response.status_code == 302 and logged_in


def test_the_address_is_the_client_behind_trusted_proxies_only(editor, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    log_in("editor", "wrong", "10.0.0.2", HTTP_X_FORWARDED_FOR=f"{ATTACKER}, 10.0.0.3")
    log_in("editor", "wrong", ELSEWHERE, HTTP_X_FORWARDED_FOR="192.0.2.200")  # not from a proxy: not believed
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER, ELSEWHERE}


def test_an_editor_unlocks_the_account_in_the_admin(editor, django_user_model):
    fail(5)
    assert not log_in("editor", "right-horse-battery")[1]
    chief = django_user_model.objects.create_user("chief", password="pw", is_staff=True)
    chief.groups.add(Group.objects.get(name=roles.EDITOR))
    admin = Client()
    admin.force_login(chief)
    changelist = admin.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200 and "editor" in changelist.content.decode()
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    admin.post(
        "/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert not AccessAttempt.objects.exists()
    response, logged_in = log_in("editor", "right-horse-battery")
    assert response.status_code == 302 and logged_in


def test_axes_reset_unlocks_everyone(editor):
    fail(5)
    assert not log_in("editor", "right-horse-battery")[1]
    call_command("axes_reset", stdout=io.StringIO())
    assert log_in("editor", "right-horse-battery")[1]
