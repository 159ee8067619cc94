"""Who has a story open in the admin, and who holds its editing lock.

Each opened story form is a session with a random token. The first session holds the lock; later ones see
"Ana Reyes is editing since 10:02" and may take it over, and the session that lost it is told at its next
heartbeat or save. A session that sends no heartbeat for `DESK_LOCK_SECONDS` is gone (a closed tab also says
goodbye at once). The state of one story is one entry in Django's cache, so every app server sees the same;
losing it (a cache restart) only forgets who is looking, never a word of a story.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from articles.freshness.clock import clock as shared_clock


def clock() -> datetime:
    """Now, by the project's one clock (articles/freshness/clock.py); tests replace this or move that."""
    return shared_clock.now()


def lock_seconds() -> int:
    return getattr(settings, "DESK_LOCK_SECONDS", 90)


def _key(story_id) -> str:
    return f"desk:presence:{story_id}"


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _load(story_id, now: datetime) -> dict:
    state = cache.get(_key(story_id)) or {"holder": None, "sessions": {}, "taken": {}}
    horizon = now.timestamp() - lock_seconds()
    state["sessions"] = {t: s for t, s in state["sessions"].items() if s["seen"] >= horizon}
    state["taken"] = {t: s for t, s in state["taken"].items() if s["at"] >= horizon - lock_seconds()}
    if state["holder"] not in state["sessions"]:
        state["holder"] = None
    return state


def _store(story_id, state: dict) -> None:
    cache.set(_key(story_id), state, timeout=lock_seconds() * 3)


def _moment(timestamp: float) -> str:
    return timezone.localtime(datetime.fromtimestamp(timestamp, tz=timezone.UTC)).strftime("%H:%M")


def _describe(state: dict, token: str) -> dict:
    """What one session is told: who holds the lock, who else is here, whether it lost the lock."""
    holder = state["sessions"].get(state["holder"]) if state["holder"] else None
    taken = state["taken"].get(token)
    viewer = state["sessions"].get(token, {}).get("user_id")
    return {
        "token": token,
        "you_hold_lock": state["holder"] == token,
        # the holder may be the same person in another window or on another device: "You", not a name
        "holder": holder
        and {"name": holder["name"], "since": _moment(holder["since"]), "yours": holder["user_id"] == viewer},
        "others": [
            {"name": s["name"], "since": _moment(s["since"]), "editing": t == state["holder"]}
            for t, s in state["sessions"].items()
            if t != token
        ],
        "taken_by": taken
        and {"name": taken["by"], "at": _moment(taken["at"]), "yours": taken.get("own", False)},
    }


def open_story(story_id, user, now: datetime | None = None) -> dict:
    """Start a session on a story (a story form was opened); it holds the lock if nobody else does."""
    now = now or clock()
    state = _load(story_id, now)
    token = secrets.token_urlsafe(12)
    moment = now.timestamp()
    state["sessions"][token] = {
        "user_id": user.pk,
        "name": display_name(user),
        "since": moment,
        "seen": moment,
    }
    if state["holder"] is None:
        state["holder"] = token
    _store(story_id, state)
    return _describe(state, token)


def heartbeat(story_id, token: str, user, now: datetime | None = None) -> dict:
    """Keep a session alive; a session whose lock was freed (not taken) by its holder picks it up."""
    now = now or clock()
    state = _load(story_id, now)
    if token not in state["taken"]:
        session = state["sessions"].setdefault(
            token, {"user_id": user.pk, "name": display_name(user), "since": now.timestamp()}
        )
        session["seen"] = now.timestamp()
        if state["holder"] is None:
            state["holder"] = token
    _store(story_id, state)
    return _describe(state, token)


def take_over(story_id, token: str, user, now: datetime | None = None) -> dict:
    """Give the lock to this session; the one that held it learns so at its next heartbeat or save."""
    now = now or clock()
    state = _load(story_id, now)
    previous = state["holder"]
    if previous and previous != token:
        lost = state["sessions"].pop(previous, None)
        own = bool(lost and lost["user_id"] == user.pk)  # the same person, from another window
        state["taken"][previous] = {"by": display_name(user), "own": own, "at": now.timestamp()}
    state["taken"].pop(token, None)
    session = state["sessions"].setdefault(
        token, {"user_id": user.pk, "name": display_name(user), "since": now.timestamp()}
    )
    session["seen"] = now.timestamp()
    state["holder"] = token
    _store(story_id, state)
    return _describe(state, token)


def leave(story_id, token: str, now: datetime | None = None) -> None:
    """End a session (the tab was closed); its lock is free for the next one who asks."""
    state = _load(story_id, now or clock())
    state["sessions"].pop(token, None)
    state["taken"].pop(token, None)
    if state["holder"] == token:
        state["holder"] = None
    _store(story_id, state)


def save_refusal(story_id, token: str, now: datetime | None = None) -> str | None:
    """Why this session may not save the story now (None when it may)."""
    state = _load(story_id, now or clock())
    if taken := state["taken"].get(token):
        who = (
            "You took this story over in another window"
            if taken.get("own")
            else f"{taken['by']} took over this story"
        )
        return (
            f"{who} at {_moment(taken['at'])}, so your changes were not saved. "
            "Your text is still in the form: take the story back to save it."
        )
    holder = state["sessions"].get(state["holder"]) if state["holder"] else None
    if holder and state["holder"] != token:
        since = _moment(holder["since"])
        if holder["user_id"] == state["sessions"].get(token, {}).get("user_id"):
            return (
                f"You are editing this story in another window since {since}, so these changes were not "
                "saved. Choose “Edit here” to save them from this window."
            )
        return (
            f"{holder['name']} is editing this story since {since}, so your changes were "
            "not saved. Take over the story to save them."
        )
    return None
