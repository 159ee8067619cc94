"""Editing presence and locks (articles/presence.py), with an injected clock."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from articles import presence

pytestmark = pytest.mark.django_db

START = timezone.make_aware(timezone.datetime(2026, 12, 4, 10, 2), timezone.get_default_timezone())


@pytest.fixture
def clock(monkeypatch):
    now = {"value": START}
    monkeypatch.setattr(presence, "clock", lambda: now["value"])

    def advance(seconds):
        now["value"] += timedelta(seconds=seconds)

    return advance


@pytest.fixture
def ana():
    return User.objects.create_user("ana", first_name="Ana", last_name="Reyes", is_staff=True)


@pytest.fixture
def bob():
    return User.objects.create_user("bob", first_name="Bob", last_name="Stone", is_staff=True)


def test_first_to_open_holds_the_lock_and_the_second_sees_who_since_when(clock, ana, bob):
    first = presence.open_story(1, ana)
    clock(60)
    second = presence.open_story(1, bob)
    assert first["you_hold_lock"] and not second["you_hold_lock"]
    assert second["holder"] == {"name": "Ana Reyes", "since": "10:02", "yours": False}
    assert presence.heartbeat(1, first["token"], ana)["others"] == [
        {"name": "Bob Stone", "since": "10:03", "editing": False}
    ]


def test_the_same_person_in_a_second_window_is_told_it_is_their_own_other_window(clock, ana):
    first = presence.open_story(1, ana)
    clock(60)
    second = presence.open_story(1, ana)
    assert not second["you_hold_lock"]
    assert second["holder"] == {"name": "Ana Reyes", "since": "10:02", "yours": True}
    assert presence.save_refusal(1, second["token"]) == (
        "You are editing this story in another window since 10:02, so these changes were not saved. "
        "Choose “Edit here” to save them from this window."
    )
    assert presence.take_over(1, second["token"], ana)["you_hold_lock"]
    assert presence.save_refusal(1, first["token"]).startswith(
        "You took this story over in another window at 10:03"
    )
    assert presence.heartbeat(1, first["token"], ana)["taken_by"] == {
        "name": "Ana Reyes",
        "at": "10:03",
        "yours": True,
    }


def test_a_lock_is_per_story(clock, ana, bob):
    presence.open_story(1, ana)
    assert presence.open_story(2, bob)["you_hold_lock"]


def test_only_the_holder_may_save(clock, ana, bob):
    first, second = presence.open_story(1, ana), presence.open_story(1, bob)
    assert presence.save_refusal(1, first["token"]) is None
    assert presence.save_refusal(1, second["token"]) == (
        "Ana Reyes is editing this story since 10:02, so your changes were not saved. "
        "Take over the story to save them."
    )


def test_take_over_moves_the_lock_and_tells_the_other_at_their_next_heartbeat_and_save(clock, ana, bob):
    first = presence.open_story(1, ana)
    second = presence.open_story(1, bob)
    clock(180 - 60)  # heartbeats keep both alive meanwhile
    presence.heartbeat(1, first["token"], ana)
    presence.heartbeat(1, second["token"], bob)
    clock(60)
    taken = presence.take_over(1, second["token"], bob)
    assert taken["you_hold_lock"]
    told = presence.heartbeat(1, first["token"], ana)
    assert (
        told["taken_by"] == {"name": "Bob Stone", "at": "10:05", "yours": False} and not told["you_hold_lock"]
    )
    assert presence.save_refusal(1, first["token"]).startswith("Bob Stone took over this story at 10:05")
    assert presence.save_refusal(1, second["token"]) is None
    # taking it back works the same way
    assert presence.take_over(1, first["token"], ana)["you_hold_lock"]
    assert presence.save_refusal(1, second["token"]).startswith("Ana Reyes took over")


def test_a_session_without_heartbeats_expires_and_frees_the_lock(clock, ana, bob, settings):
    settings.DESK_LOCK_SECONDS = 90
    first = presence.open_story(1, ana)
    second = presence.open_story(1, bob)
    clock(60)
    assert not presence.heartbeat(1, second["token"], bob)["you_hold_lock"]
    clock(45)  # Ana's last sign of life was 105 s ago
    state = presence.heartbeat(1, second["token"], bob)
    assert state["you_hold_lock"] and state["others"] == []
    assert presence.save_refusal(1, first["token"]).startswith("Bob Stone is editing this story")


def test_a_heartbeat_keeps_the_lock_beyond_the_expiry(clock, ana, bob, settings):
    settings.DESK_LOCK_SECONDS = 90
    first = presence.open_story(1, ana)
    for _ in range(5):
        clock(60)
        presence.heartbeat(1, first["token"], ana)
    assert not presence.open_story(1, bob)["you_hold_lock"]


def test_leaving_frees_the_lock_for_the_next_heartbeat(clock, ana, bob):
    first, second = presence.open_story(1, ana), presence.open_story(1, bob)
    presence.leave(1, first["token"])
    state = presence.heartbeat(1, second["token"], bob)
    assert state["you_hold_lock"] and state["others"] == []
