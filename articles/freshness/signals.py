"""Saves and deletes of what readers see call `changed()` with their keys: admin, commands, importers."""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete

from articles.freshness import changes, rules
from articles.freshness import keys as keynames

WATCHED_APPS = {"articles", "taggit"}
# View counters change with every reader; Trending Now has its own short lifetime instead.
# Notes are internal (issue #15); a story's body-photo links follow its body, whose save changes its pages.
IGNORED_MODELS = {"articles.hourlyviews", "articles.storynote", "articles.article_photos_in_body"}


def content_changed(sender, **kwargs):
    """Signal receiver: a row readers may see was saved or deleted."""
    action = kwargs.get("action")
    if action is not None and action.startswith("pre_"):  # m2m_changed fires before and after
        return
    if sender._meta.app_label not in WATCHED_APPS or sender._meta.label_lower in IGNORED_MODELS:
        return
    instance = kwargs.get("instance")
    story = keynames.story_of(instance)
    if story is not None and not rules.ever_published(story):
        return  # a draft or a story in review, its bylines, tags and notes: nothing readers see
    deleted = kwargs.get("signal") is post_delete
    if story is instance and rules.moves_schedule(story, deleted=deleted):
        changes.reschedule()  # its go-live time may have moved
    if changes.in_batch():  # an import: no query per row, everything changes once at the end
        changes.changed(keynames.EVERYTHING)
        return
    m2m = {"reverse": kwargs["reverse"], "pk_set": kwargs["pk_set"]} if action is not None else None
    keys = keynames.for_change(
        sender,
        instance,
        deleted=deleted,
        created=kwargs.get("created", False),
        m2m=m2m,
    )
    changes.changed(*keys)


def lists_before_delete(sender, instance, **kwargs) -> None:
    """pre_delete: a public story's lists, read while its tags and bylines still exist."""
    if sender._meta.label_lower == "articles.article" and rules.was_public(instance):
        instance._lists = keynames.membership(instance)


def migrated(sender, **kwargs) -> None:
    """A migration may have rewritten any row without a signal."""
    changes.changed_everything()


def connect_signals():
    """Called from the app's ready(), so commands and importers refresh pages too."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(content_changed, dispatch_uid=f"articles.freshness.{id(signal)}")
    pre_delete.connect(lists_before_delete, dispatch_uid="articles.freshness.pre_delete")
    post_migrate.connect(migrated, dispatch_uid="articles.freshness.post_migrate")
