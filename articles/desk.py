"""The editing desk's rules outside the admin: buttons, list filters, a stale save's conflict, its words."""

import json

from django.contrib.admin.helpers import InlineAdminFormSet
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from reversion.models import Version

from articles import revisions, roles
from articles.freshness.clock import clock
from articles.models import Article, Author, Byline

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


# The story's other fields a stale save compares, each shown as their value beside yours. "Take theirs" on
# one of them posts its name in `desk_theirs`, and the save keeps the saved value (ArticleForm.take_theirs).
OTHER_FIELDS = (
    ("section", "Section"),
    ("tags", "Tags"),
    ("lead_photo", "Lead photo"),
    ("bylines", "Bylines"),
    ("status", "Status and times"),
)
# What "status" stands for: taking theirs keeps all three.
STATUS_FIELDS = ("status", "published_at", "embargo_until")
THEIRS_FIELDS = tuple(name for name, _ in revisions.DIFF_FIELDS) + tuple(name for name, _ in OTHER_FIELDS)


def posted_bylines(data, prefix="bylines") -> list[tuple[int, str]]:
    """The bylines a posted story form holds, in their order: [(author id, role)], deleted rows left out."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
    except ValueError:
        return []
    rows = []
    for i in range(min(total, 1000)):
        author, role = data.get(f"{prefix}-{i}-author"), (data.get(f"{prefix}-{i}-role") or "").strip()
        if not author or not str(author).isdigit() or data.get(f"{prefix}-{i}-DELETE"):
            continue
        position = data.get(f"{prefix}-{i}-position") or ""
        rows.append((int(position) if position.isdigit() else i, i, int(author), role))
    return [(author, role) for _, _, author, role in sorted(rows)]


def saved_values(story_id) -> dict:
    """The saved story's values of every field a stale save compares (ids for relations)."""
    story = (
        Article.objects.filter(pk=story_id)
        .select_related("section", "lead_photo")
        .prefetch_related("tags", "bylines__author")
        .first()
    )
    if story is None:
        return {}
    return {
        **{name: getattr(story, name) for name, _ in revisions.DIFF_FIELDS},
        **{name: getattr(story, name) for name in STATUS_FIELDS},
        "section": story.section,
        "tags": sorted(story.tags.all(), key=lambda tag: tag.name.lower()),
        "lead_photo": story.lead_photo,
        "bylines": [(b.author_id, b.role) for b in story.bylines.all()],
        "byline_names": {b.author_id: b.author.name for b in story.bylines.all()},
    }


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def list_moment(moment, now=None):
    """A moment as the story list shows it, short enough for a column: "14:05" today, "4 Dec 14:05" this
    year, "7 Jan 2024" before; the full dateline on hover and for screen readers' `datetime`."""
    local = timezone.localtime(moment)
    today = timezone.localtime(now or clock.now()).date()
    if local.date() == today:
        short = date_format(local, "TIME_FORMAT")
    elif local.year == today.year:
        short = date_format(local, "j M H:i")
    else:
        short = date_format(local, "DATE_FORMAT")
    return format_html('<time datetime="{}" title="{}">{}</time>', local.isoformat(), _when(moment), short)


def _status_text(status, published_at, embargo_until) -> str:
    text = Article.Status(status).label if status in Article.Status.values else str(status or "—")
    if published_at:
        text += f", publication time {_when(published_at)}"
    if embargo_until:
        text += f", embargoed until {_when(embargo_until)}"
    return text


def _bylines_text(bylines, names) -> str:
    return "; ".join(
        f"{names.get(author, f'author {author}')} ({role or 'Written by'})" for author, role in bylines
    )


def other_differences(theirs: dict, cleaned: dict, data) -> list[dict]:
    """The story's other fields where the saved story and the form differ: [{name, label, theirs, mine}]."""
    mine_bylines = posted_bylines(data)
    names = dict(theirs.get("byline_names", {}))
    missing = {author for author, _ in mine_bylines} - names.keys()
    if missing:
        names.update(Author.objects.filter(pk__in=missing).values_list("pk", "name"))
    mine_tags = sorted(cleaned.get("tags") or [], key=lambda tag: tag.name.lower())
    pairs = {
        "section": (theirs["section"], cleaned.get("section")),
        "tags": (
            ", ".join(tag.name for tag in theirs["tags"]) or "none",
            ", ".join(tag.name for tag in mine_tags) or "none",
            [tag.pk for tag in theirs["tags"]] != [tag.pk for tag in mine_tags],
        ),
        "lead_photo": (theirs["lead_photo"] or "none", cleaned.get("lead_photo") or "none"),
        "bylines": (
            _bylines_text(theirs["bylines"], names) or "none",
            _bylines_text(mine_bylines, names) or "none",
            theirs["bylines"] != mine_bylines,
        ),
        "status": (
            _status_text(*(theirs[name] for name in STATUS_FIELDS)),
            _status_text(*(cleaned.get(name) for name in STATUS_FIELDS)),
            any(theirs[name] != cleaned.get(name) for name in STATUS_FIELDS if name in cleaned),
        ),
    }
    found = []
    for name, label in OTHER_FIELDS:
        if name != "bylines" and name not in cleaned:
            continue  # not on this user's form (a writer's publishing times), so not theirs to choose
        theirs_value, mine_value, *differs = pairs[name]
        if differs[0] if differs else theirs_value != mine_value:
            found.append({"name": name, "label": label, "theirs": str(theirs_value), "mine": str(mine_value)})
    return found


def conflict(story_id, cleaned: dict, data=None) -> dict:
    """A refused stale save: who saved when, and each field that differs: the word diff for the story's text,
    their value beside yours for the others."""
    theirs = saved_values(story_id)
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
    others = other_differences(theirs, cleaned, data or {}) if theirs else []
    message = (
        f"Someone else saved this story after you opened it: {who}{f', at {when}' if when else ''}. "
        "Your changes were not saved. Your text is still in the form below: compare it with theirs, keep "
        "yours or take theirs for each field, then save again."
    )
    return {"who": who, "when": when, "fields": fields, "others": others, "message": message}


def take_theirs(story_id, names, cleaned: dict) -> None:
    """Put the saved story's values in `cleaned` for the fields named (bylines: ArticleAdmin.save_related)."""
    theirs = saved_values(story_id)
    for name in names:
        if name == "status":
            for status_field in STATUS_FIELDS:
                if status_field in cleaned:
                    cleaned[status_field] = theirs[status_field]
        elif name in cleaned and name != "bylines":
            cleaned[name] = theirs[name]


class SentenceCaseInlines:
    """A ModelAdmin mixin: the desk writes "Add another correction" in sentence case, like the rest of its
    words, where Django capitalises the inline's name ("Add another Correction")."""

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        found = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline in found:
            inline.__class__ = SentenceCaseInlineFormSet
        return found


class SentenceCaseInlineFormSet(InlineAdminFormSet):
    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        name = self.opts.verbose_name
        data["options"]["addText"] = gettext("Add another %(verbose_name)s") % {"verbose_name": name}
        return json.dumps(data)
