"""Internal notes on a story: dated, for the newsroom only, and an @mention emails the colleague named.

Notes live in their own table (StoryNote) that no public view, feed, sitemap, search, API or export reads.
"""

import re

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q

from articles import roles
from articles.models import StoryNote

MENTION = re.compile(r"(?<![\w.@])@([\w.+-]+\w)")


def name_of(user) -> str:
    return user.get_full_name() or user.get_username()


def for_story(story):
    return list(StoryNote.objects.filter(article=story).select_related("author"))


def mentioned_users(text: str, exclude=None):
    """Active staff accounts named as @username in `text` (case does not matter)."""
    names = {name.lower() for name in MENTION.findall(text)}
    if not names:
        return []
    model = get_user_model()
    named = Q()
    for name in names:
        named |= Q(**{f"{model.USERNAME_FIELD}__iexact": name})
    users = model.objects.filter(named, is_active=True, is_staff=True).exclude(email="")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def add(story, author, text: str, *, story_url: str = "") -> tuple[StoryNote, list]:
    """Save a note and email each colleague it @mentions; returns the note and who was emailed."""
    note = StoryNote.objects.create(article=story, author=author, text=text)
    # the email carries the headline and the note: only to those who may read the story (embargoes)
    mentioned = [user for user in mentioned_users(text, exclude=author) if roles.may_read(user, story)]
    for user in mentioned:
        send_mail(
            f"{name_of(author)} mentioned you on “{story.headline}”",
            f"{name_of(author)} wrote a note on the story “{story.headline}”:\n\n{text}\n\n{story_url}\n",
            None,
            [user.email],
        )
    return note, mentioned
