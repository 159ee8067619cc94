"""The editing desk's rules outside the admin: its buttons, its list filters, a stale save's conflict."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version

from articles import revisions, roles
from articles.models import Article, Byline

ACTIONS = ("save", "draft", "review", "publish", "schedule", "unpublish")
EDITOR_ACTIONS = ("publish", "schedule", "unpublish")

HELP = {
    "draft": "Keeps it a draft: only you and the editors see it.",
    "review": "Hands it to an editor; you cannot change it after that.",
    "publish": "Puts it on the site now.",
    "schedule": "Goes live at the publication time set below.",
    "unpublish": "Takes it off the site; its address then answers “gone”.",
}


def buttons(story, editor: bool) -> list[dict]:
    """The desk's buttons for a story in its current state: what each does, for this user's role."""
    status = story.status if story is not None else Article.Status.DRAFT
    live = story is not None and story.is_published()
    scheduled = story is not None and status == Article.Status.PUBLISHED and not live

    def button(action, label, help_text=None, primary=False):
        return {"action": action, "label": label, "help": help_text or HELP[action], "primary": primary}

    if status == Article.Status.DRAFT:
        found = [button("draft", "Save draft"), button("review", "Submit for review", primary=not editor)]
        if editor:
            found += [button("publish", "Publish", primary=True), button("schedule", "Schedule")]
        return found
    if not editor:
        return []  # writers cannot change a story once it is in review or published
    if status == Article.Status.REVIEW:
        return [
            button("save", "Save", "Saves your edits; the story stays in review."),
            button("publish", "Publish", primary=True),
            button("schedule", "Schedule"),
            button("draft", "Back to draft", "Returns it to the writer as a draft."),
        ]
    if scheduled:
        return [
            button(
                "schedule", "Save schedule", "Saves your edits; it goes live at the time set below.", True
            ),
            button("publish", "Publish now"),
            button("unpublish", "Unschedule", "Cancels the schedule: the story becomes a draft again."),
        ]
    return [
        button("save", "Save changes", "Readers see your edits at once.", primary=True),
        button("unpublish", "Unpublish"),
    ]


def mine(stories, user):
    """Stories the user created or has a byline on."""
    bylined = Byline.objects.filter(article=OuterRef("pk"), author__user=user)
    return stories.filter(Q(created_by=user) | Q(Exists(bylined)))


def state_q(state: str, now) -> Q:
    published = Q(status=Article.Status.PUBLISHED)
    if state in ("draft", "review"):
        return Q(status=state)
    if state == "scheduled":
        return published & (Q(published_at__gt=now) | Q(embargo_until__gt=now))
    if state == "published":
        return (
            published & Q(published_at__lte=now) & (Q(embargo_until__isnull=True) | Q(embargo_until__lte=now))
        )
    return Q()


def in_state(stories, state: str):
    return stories.filter(state_q(state, timezone.now()))


QUICK_FILTERS = (
    ("", "All"),
    ("mine", "Mine"),
    ("draft", "Drafts"),
    ("review", "In review"),
    ("scheduled", "Scheduled"),
    ("published", "Published"),
)


def quick_filters(request) -> list[dict]:
    """The story list's quick filters with their counts, counted in one query."""
    user, now = request.user, timezone.now()
    bylined = Byline.objects.filter(article=OuterRef("pk"), author__user=user)
    counts = roles.readable(Article.objects.all(), user).aggregate(
        all=Count("pk"),
        mine=Count("pk", filter=Q(created_by=user) | Q(Exists(bylined))),
        **{
            state: Count("pk", filter=state_q(state, now))
            for state in ("draft", "review", "scheduled", "published")
        },
    )
    chosen = "mine" if request.GET.get("mine") == "1" else request.GET.get("state", "")
    found = []
    for key, label in QUICK_FILTERS:
        query = "?mine=1" if key == "mine" else (f"?state={key}" if key else "?")
        found.append(
            {
                "key": key or "all",
                "label": label,
                "count": counts[key or "all"],
                "query": query,
                "active": chosen == key,
            }
        )
    return found


def conflict(story_id, cleaned: dict) -> dict:
    """A refused stale save: who saved when, and for each differing field their text and the word diff."""
    theirs = (
        Article.objects.filter(pk=story_id).values(*[name for name, _ in revisions.DIFF_FIELDS]).first() or {}
    )
    last = (
        Version.objects.get_for_object_reference(Article, story_id)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
        .first()
    )
    who, when = "a colleague", None
    if last is not None:
        if last.revision.user is not None:
            who = last.revision.user.get_full_name() or last.revision.user.get_username()
        when = date_format(timezone.localtime(last.revision.date_created), "DATETIME_FORMAT")
    fields = []
    for name, label in revisions.DIFF_FIELDS:
        if name not in cleaned:
            continue
        old, new = theirs.get(name) or "", cleaned.get(name) or ""
        if old != new:
            fields.append(
                {"name": name, "label": label, "theirs": old, "diff": revisions.word_diff(old, new)}
            )
    message = (
        f"Someone else saved this story after you opened it: {who}{f', at {when}' if when else ''}. "
        "Your changes were not saved. Your text is still in the form below: compare it with theirs, keep "
        "yours or take theirs for each field, then save again."
    )
    return {"who": who, "when": when, "fields": fields, "message": message}
