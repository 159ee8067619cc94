"""The newsroom's roles: Writers write and submit; Editors review, publish, correct, read embargoed stories.

A migration creates the groups; `migrate` (post_migrate) keeps their permissions exactly as listed here.
"""

from django.db.models import Q
from django.utils import timezone

from articles.models import Article, out_of_embargo

WRITER = "Writer"
EDITOR = "Editor"

ROLE_PERMISSIONS = {
    WRITER: [
        "add_article", "change_article", "delete_article", "view_article",
        "add_byline", "change_byline", "delete_byline", "view_byline",
        "add_author", "view_author",
        "add_photo", "change_photo", "view_photo",
        "add_tag", "view_tag",
        "view_section",
        "view_correction",
    ],
    EDITOR: [
        "add_article", "change_article", "delete_article", "view_article", "publish_article",
        "view_embargoed_article",
        "add_byline", "change_byline", "delete_byline", "view_byline",
        "add_author", "change_author", "delete_author", "view_author",
        "add_photo", "change_photo", "delete_photo", "view_photo",
        "add_tag", "change_tag", "delete_tag", "view_tag",
        "add_section", "change_section", "delete_section", "view_section",
        "add_correction", "change_correction", "delete_correction", "view_correction",
        "view_hourlyviews",
        # Arranging the home page and section fronts, and the breaking-news banner (articles/fronts.py).
        "add_front", "change_front", "delete_front", "view_front",
        "add_zone", "change_zone", "delete_zone", "view_zone",
        "add_placement", "change_placement", "delete_placement", "view_placement",
        "add_banner", "change_banner", "delete_banner", "view_banner",
        # The paper's own pages in the footer (about, contact, corrections policy: pages/).
        "pages.add_page", "pages.change_page", "pages.delete_page", "pages.view_page",
        # Unlocking an account locked out after failed logins (newsroom/settings.py, django-axes).
        "axes.view_accessattempt", "axes.delete_accessattempt",
    ],
}  # fmt: skip


def can_publish(user) -> bool:
    """Editors (and superusers) may publish, schedule, embargo, unpublish and edit any story."""
    return user.has_perm("articles.publish_article")


def can_read_embargoed(user) -> bool:
    """Editors (and superusers) may read any story before its embargo lifts."""
    return user.has_perm("articles.view_embargoed_article")


def may_read(user, story) -> bool:
    """Whether `user` may read `story` in the admin or preview: the embargo rule of `readable`."""
    embargoed = story.embargo_until is not None and story.embargo_until > timezone.now()
    return (
        not embargoed or can_read_embargoed(user) or (user.pk is not None and story.created_by_id == user.pk)
    )


def readable(stories, user):
    """The stories `user` may read in the admin or preview: embargoed ones only with the permission, or
    their own (the writer who created a story keeps working on it under embargo)."""
    if can_read_embargoed(user):
        return stories
    visible = out_of_embargo(timezone.now())
    if user.pk is not None:
        visible |= Q(created_by_id=user.pk)
    return stories.filter(visible)


def hidden_photo_ids(user) -> set[int]:
    """The photos of stories `user` may not read (see `readable`): their lead photos and those their bodies
    show. Photos have no story of their own, so the library, its chooser and the body's picker leave these
    out until the embargo lifts; a caption tells the news as well as a headline."""
    if can_read_embargoed(user):
        return set()
    unreadable = Article.objects.exclude(out_of_embargo(timezone.now()))
    if user.pk is not None:
        unreadable = unreadable.exclude(created_by_id=user.pk)
    hidden = set(unreadable.exclude(lead_photo=None).values_list("lead_photo_id", flat=True))
    shown = Article.photos_in_body.through.objects.filter(article__in=unreadable)  # kept by save()
    return hidden | set(shown.values_list("photo_id", flat=True))


def sync_roles() -> None:
    """Create the Writer and Editor groups if missing and set their permissions to ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Q(content_type__app_label="articles", codename__in=[c for c in codenames if "." not in c])
        for app_label, codename in (c.split(".") for c in codenames if "." in c):  # another app's
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))


def sync_after_migrate(sender, **kwargs):
    sync_roles()
