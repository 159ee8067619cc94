"""Keys: the names of what a page or fragment shows, and which of them a save changes.

    s<id>       a story's own page and every card, feed item or list entry of it
    sec<id>     a section's name and description (on its page and on cards that name it)
    a<id>       an author's name, bio and photo (on the author page and on bylines)
    t<id>       a tag's name and description
    p<id>       a photo's caption, credit and alt text
    sections    the menu on every HTML page
    list        which stories are public at all: home, latest, feeds, sitemaps, the API list, search, 404s
    list-sec<id>, list-a<id>, list-t<id>    which stories a section, author or tag page lists
    sitemaps    the sitemaps' lastmod dates of stories, sections, authors and tags
    all         everything (`changed_everything()`): every page and fragment depends on it

The same names are the surrogate keys an HTTP cache in front is purged by.
"""

from articles.freshness.rules import is_public, was_public

EVERYTHING = "all"


def story_keys(story) -> set[str]:
    """A story's card or page: the story, its section, its bylines' authors, its lead photo (no query)."""
    keys = {f"s{story.pk}", f"sec{story.section_id}"}
    if story.lead_photo_id:
        keys.add(f"p{story.lead_photo_id}")
    keys.update(f"a{byline.author_id}" for byline in story.bylines.all())
    return keys


def story_of(instance):
    """The story a saved row belongs to (itself for a story), or None for a row of no story."""
    from articles.models import Article, Byline, Correction, OldSlug, TaggedArticle

    try:
        if isinstance(instance, Byline | Correction | OldSlug):
            return instance.article
        if isinstance(instance, TaggedArticle):
            return instance.content_object
    except Article.DoesNotExist:
        return None
    return instance if isinstance(instance, Article) else None


# What a save changes ---------------------------------------------------------------------------------------


def lists_of(article, *, author_ids=None, tag_ids=None) -> set[str]:
    """Everything that lists `article` if it is public (two queries unless the ids are given), else nothing.

    For a write that sends no signal: `freshness.changed(*lists_of(story, author_ids=..., tag_ids=...))`.
    """
    if not is_public(article):
        return set()
    return membership(article, author_ids=author_ids, tag_ids=tag_ids)


def membership(article, *, author_ids=None, tag_ids=None) -> set[str]:
    """Everything that lists `article`: a story appearing or going changes these pages."""
    if tag_ids is None:
        tag_ids = article.tagged_items.values_list("tag_id", flat=True)
    if author_ids is None:
        author_ids = article.bylines.values_list("author_id", flat=True)
    keys = {f"s{article.pk}", "list", "sitemaps", f"list-sec{article.section_id}"}
    keys.update(f"list-t{pk}" for pk in tag_ids)
    keys.update(f"list-a{pk}" for pk in author_ids)
    return keys


def article_keys(article, *, deleted=False, created=False) -> set[str]:
    before, now = was_public(article), (not deleted and is_public(article))
    if not before and not now:
        return set()  # a draft, in review, scheduled or embargoed: no reader has seen it
    if deleted:
        keys = getattr(article, "_lists", None) or {f"s{article.pk}", "list", "sitemaps"}
    elif created:  # no tags or bylines yet: no query
        keys = {f"s{article.pk}", "list", "sitemaps", f"list-sec{article.section_id}"}
    elif before != now:
        keys = membership(article)
    else:
        keys = {f"s{article.pk}", "sitemaps"}
    old_section = (getattr(article, "_loaded", None) or {}).get("section_id")
    if old_section and old_section != article.section_id:
        keys.update({f"list-sec{old_section}", f"list-sec{article.section_id}"})
    return keys


def child_keys(article_id, *keys: str) -> set[str]:
    """A byline, tagging or correction of a public story: the story and `keys`; of any other, nothing."""
    from articles.models import Article

    if not Article.objects.published().filter(pk=article_id).exists():
        return set()
    return {f"s{article_id}", *keys}


def for_change(sender, instance, *, deleted=False, created=False, m2m=None) -> set[str]:
    """The keys that `instance` (of model `sender`) saved or deleted changes.

    `m2m` is m2m_changed's arguments when links changed through a manager (taggit's `story.tags.add()`). A
    model of the watched apps this does not know names its keys with a `freshness_keys()` method (a front:
    `{"front-home"}`); without one, it changes everything.
    """
    label = sender._meta.label_lower
    if m2m is not None:
        return links_keys(sender, instance, **m2m)
    if hasattr(instance, "freshness_keys"):
        return set(instance.freshness_keys())
    if label == "articles.article":
        return article_keys(instance, deleted=deleted, created=created)
    if label == "articles.section":
        return {f"sec{instance.pk}", "sections", "sitemaps"}
    if label == "articles.author":
        return {f"a{instance.pk}", "sitemaps"}
    if label == "articles.tag":
        return {f"t{instance.pk}", "sitemaps"}
    if label == "articles.photo":
        return {f"p{instance.pk}"}
    if label == "articles.byline":
        return child_keys(instance.article_id, f"list-a{instance.author_id}", f"a{instance.author_id}")
    if label == "articles.taggedarticle":
        return child_keys(instance.content_object_id, f"list-t{instance.tag_id}", f"t{instance.tag_id}")
    if label in ("articles.correction", "articles.oldslug"):
        return child_keys(instance.article_id)
    return {EVERYTHING}


def links_keys(sender, instance, *, reverse=False, pk_set=None, **kwargs) -> set[str]:
    """Tags or authors linked to or unlinked from stories through a manager."""
    prefix = "list-t" if sender._meta.label_lower == "articles.taggedarticle" else "list-a"
    if reverse:  # `instance` is the tag or author, `pk_set` the stories
        return {f"{prefix}{instance.pk}", *(f"s{pk}" for pk in pk_set or ())}
    if not pk_set:  # a clear() names no tags: every list of that kind may have held the story
        return child_keys(instance.pk, "list")
    return child_keys(instance.pk, *(f"{prefix}{pk}" for pk in pk_set))


def went_live(since, now) -> set[str]:
    """The lists joined by stories whose go-live moment (publication, embargo lift) fell in (since, now]."""
    from django.db.models.functions import Coalesce, Greatest

    from articles.models import Article, Byline, TaggedArticle

    goes_live = Greatest("published_at", Coalesce("embargo_until", "published_at"))
    stories = dict(
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .annotate(goes_live=goes_live)
        .filter(goes_live__gt=since, goes_live__lte=now)
        .values_list("pk", "section_id")
    )
    if not stories:
        return set()
    keys = {"list", "sitemaps", *(f"s{pk}" for pk in stories), *(f"list-sec{s}" for s in stories.values())}
    tags = TaggedArticle.objects.filter(content_object_id__in=stories).values_list("tag_id", flat=True)
    authors = Byline.objects.filter(article_id__in=stories).values_list("author_id", flat=True)
    keys.update(f"list-t{pk}" for pk in set(tags))
    keys.update(f"list-a{pk}" for pk in set(authors))
    return keys


def next_go_live(now):
    """When the next scheduled or embargoed story becomes public, or None."""
    from django.db.models import Min
    from django.db.models.functions import Coalesce, Greatest

    from articles.models import Article

    goes_live = Greatest("published_at", Coalesce("embargo_until", "published_at"))
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED)
        .annotate(goes_live=goes_live)
        .filter(goes_live__gt=now)
        .aggregate(due=Min("goes_live"))["due"]
    )
