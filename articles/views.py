import hashlib
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Q, Value, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from articles import body as story_body
from articles import freshness, fronts, roles, trending
from articles import search as story_search
from articles.clients import client_address
from articles.models import Article, Author, Byline, Correction, Section, Tag, TaggedArticle, Zone

WALK_SHARE = 20  # a tag or author on at least 1 story in 20 is found by walking the newest stories...
WALK_PAGES = 50  # ...on its first 50 pages


class StoryPaginator(Paginator):
    """Pages through story ids, counted again only when the list changes (the cards: freshness.cards)."""

    def __init__(self, *args, count_key, list_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key, self.list_key = count_key, list_key

    @cached_property
    def count(self):
        return freshness.list_count(self.count_key, self.object_list, self.list_key)


class ArticleListView(ListView):
    """A paginated list of published stories, newest first; 404 past the last page.

    The list is of ids only: the query joins nothing, so the database walks an index in date order (with
    the cards' section, photo and bylines joined in, SQLite started from the sections and sorted instead).
    """

    paginate_by = settings.PAGE_SIZE
    template_name = "articles/article_list.html"
    card = {"show_section": True, "level": "2"}
    surrogate_keys = ("list",)  # which stories are listed (a section, author or tag page: its own)

    def get_queryset(self):
        freshness.depends_on(*self.surrogate_keys)
        return Article.objects.published().latest().values_list("pk", flat=True)

    def get_paginator(self, queryset, per_page, **kwargs):
        return StoryPaginator(
            queryset, per_page, count_key=self.request.path, list_key=self.surrogate_keys[0], **kwargs
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wanted = [(pk, self.card) for pk in self.listed(context)]
        context["cards"] = [html for html in self.render_cards(wanted) if html is not None]
        return context

    def listed(self, context):
        """The ids of the stories to show as cards (a section's first page leaves out its front's)."""
        return context["page_obj"].object_list

    def render_cards(self, wanted):
        return freshness.cards(wanted, fresh=freshness.is_staff_request(self.request))

    def members_only(self, stories, joined, links):
        """One tag's or author's stories: walked newest first, or `joined` and sorted, whichever is cheaper.

        Joining reads every story of the tag and sorts them: fine for a small tag, 55-75 ms for one on a third
        of 100,000 stories. Walking all stories newest first and checking each for a link (`links`) stops
        after a page: for a tag on at least 1 story in WALK_SHARE that is a few hundred stories a page, even
        if the tag's stories bunch up in time; for a rarer tag it can mean the whole archive. The tag's size
        (counted again when the list changes) picks, and deep pages are always joined.
        """
        size = freshness.list_count(self.request.path, joined, self.surrogate_keys[0])
        everything = freshness.list_count("published", stories)  # a rough size is enough: no key
        page = self.request.GET.get(self.page_kwarg) or "1"
        if size * WALK_SHARE >= everything and page.isdigit() and int(page) <= WALK_PAGES:
            return stories.filter(Exists(links))
        # Sorted by an expression no index holds, or PostgreSQL walks the date index anyway, misjudging how a
        # tag's stories spread over time (150 ms for a tag of 875 old stories, 5 ms sorted).
        return joined.order_by(Coalesce("published_at", "published_at").desc(), "-pk")


class HomeView(TemplateView):
    """The home page's front (articles/fronts.py); unarranged: a lead, the latest, a block per section."""

    template_name = "articles/home.html"
    plan = None  # a front not saved yet, shown by the admin's preview

    def get_context_data(self, **kwargs):
        freshness.depends_on("list")
        page = fronts.resolve(self.request, self.plan)
        lead, top, blocks = (page.zone(kind) for kind in (Zone.Kind.LEAD, Zone.Kind.TOP, Zone.Kind.SECTIONS))
        return super().get_context_data(
            front=page,
            lead=lead.cards[0] if lead and lead.cards else None,
            latest=top.cards if top else [],
            section_blocks=blocks.block_cards if blocks else [],
            **kwargs,
        )


class LatestView(ArticleListView):
    extra_context = {"heading": "Latest stories"}


class SectionView(ArticleListView):
    """A section's front on its first page (a lead and its top stories), then its stories, newest first."""

    template_name = "articles/section.html"
    card = {"show_section": True, "level": "3"}  # under the river's heading
    plan = None  # a front not saved yet, shown by the admin's preview

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        self.surrogate_keys = (f"list-sec{self.section.pk}", f"sec{self.section.pk}")
        return super().get_queryset().filter(section=self.section)

    def listed(self, context):
        ids = super().listed(context)
        if context["page_obj"].number != 1:
            return ids
        self.front = fronts.arranged(self.plan, self.section)
        return [
            pk for pk in ids if pk not in self.front.shown
        ]  # below the front, without the front's stories

    def render_cards(self, wanted):
        if getattr(self, "front", None) is None:
            return super().render_cards(wanted)
        self.front, listed = fronts.render(
            self.request, self.front, also=wanted
        )  # the front's and the list's
        return listed

    def get_context_data(self, **kwargs):
        context = super().get_context_data(section=self.section, **kwargs)
        context["front"] = getattr(self, "front", None)
        return context


class AuthorView(ArticleListView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(
            Author.objects.public().select_related("photo"), slug=self.kwargs["slug"]
        )
        self.surrogate_keys = (f"list-a{self.author.pk}", f"a{self.author.pk}")
        if self.author.photo_id:
            self.surrogate_keys += (f"p{self.author.photo_id}",)
        stories = super().get_queryset()
        links = Byline.objects.filter(article=OuterRef("pk"), author=self.author)
        return self.members_only(stories, stories.filter(bylines__author=self.author), links)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class TagView(ArticleListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag.objects.public(), slug=self.kwargs["slug"])
        self.surrogate_keys = (f"list-t{self.tag.pk}", f"t{self.tag.pk}")
        stories = super().get_queryset()
        links = TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag=self.tag)
        return self.members_only(stories, stories.filter(tagged_items__tag=self.tag), links)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


def article_detail_queryset():
    """A story as its page needs it before its own part: the row, its section and lead photo, and whether it
    has corrections (read only if it has some: most stories have none). Bylines and tags: `story_part`."""
    return detail_shape().all()  # a copy: the shape itself is never evaluated


@cache
def detail_shape():
    # Built once per process: resolving the corrections subquery again for every request took about a
    # millisecond of a story page's render.
    return Article.objects.select_related("section", "lead_photo").annotate(
        has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk")))
    )


# Related stories come from the RELATED_NEIGHBOURS stories published just before and just after the story:
# a bounded number of candidates however large or dense the archive (a fixed time window read ~3,000 stories
# at 100,000 and came up short in a quiet newsroom), each checked for shared tags through an index.
RELATED_NEIGHBOURS = 100
# The candidates and the shared-tag count are written in SQL: built with the ORM (two sliced subqueries, a
# counted subquery used twice), Django spent 2.7 ms of an article page's 9 putting together a query SQLite
# answers in 0.9. The outer query is still published(), so what readers see goes through the one door.
# Candidates filter on status only: published()'s own "before now" here would give SQLite two upper bounds on
# the date, and it walked from now back to the story instead of from the story.
NEIGHBOURS_SQL = """
    SELECT id FROM (
        SELECT id FROM articles_article WHERE status = %s AND id <> %s AND published_at <= %s
        ORDER BY published_at DESC LIMIT %s
    ) AS before_it
    UNION ALL
    SELECT id FROM (
        SELECT id FROM articles_article WHERE status = %s AND id <> %s AND published_at > %s
        ORDER BY published_at LIMIT %s
    ) AS after_it
"""
# Counted per candidate through the (story, tag) index: a join made PostgreSQL hash every tagging row.
SHARED_TAGS_SQL = (
    "SELECT COUNT(*) FROM articles_taggedarticle WHERE articles_taggedarticle.content_object_id = "
    '"articles_article"."id" AND articles_taggedarticle.tag_id IN ({})'
)


def related_articles(article, tag_ids, n=4):
    """Stories published around `article` sharing most of its tags (`tag_ids`), then its section's newest."""
    public = Article.objects.published()
    # As the ORM writes a date for this database (naive UTC text on SQLite, as the column holds it).
    when = connections[public.db].ops.adapt_datetimefield_value(article.published_at or timezone.now())
    around = [Article.Status.PUBLISHED, article.pk, when, RELATED_NEIGHBOURS]
    neighbours = RawSQL(NEIGHBOURS_SQL, around * 2)
    if tag_ids:
        marks = ", ".join(["%s"] * len(tag_ids))
        shared = RawSQL(SHARED_TAGS_SQL.format(marks), tag_ids, output_field=IntegerField())
    else:
        shared = Value(0)
    stories = list(
        public.filter(pk__in=neighbours)
        .only("headline", "slug", "published_at", "section_id")
        .annotate(shared=shared)
        .filter(Q(section_id=article.section_id) | Q(shared__gt=0))
        .order_by("-shared", "-published_at")[:n]
    )
    sections = freshness.all_sections()
    for story in stories:  # the menu's sections, kept until one changes (none made since: a query)
        if story.section_id in sections:
            story.section = sections[story.section_id]
    return stories


def related_part(article, tag_ids, *, fresh=False) -> str:
    """The story page's "Related stories", kept as a fragment.

    Made again when the story or a story shown changes, or when a story joins the story's section or one of
    its tags (`list-sec<id>`, `list-t<id>`: the only ways a new one can qualify). Those two are the
    fragment's own keys: a page kept in the cache is not dropped for them, so a story published later joins
    a kept page when the page expires, as before. A story leaving the neighbourhood can let the next
    neighbour in: that one joins when the fragment expires (LOCAL_FRAGMENT_SECONDS).
    """

    def make():
        freshness.depends_on(f"s{article.pk}")
        related = related_articles(article, tag_ids)
        freshness.depends_on(*(f"s{story.pk}" for story in related))
        return get_template("articles/related.html").render({"related": related})

    own = (f"list-sec{article.section_id}", *(f"list-t{pk}" for pk in tag_ids))
    return freshness.fragment(("related", article.pk), make, own=own, fresh=fresh)


def story_part(request, article, *, preview=False, fresh=False) -> dict:
    """The story's own part of its page, kept as a fragment until a row it shows changes.

    It is everything on the page that comes from the story: the head's meta tags and JSON-LD, and the story
    from kicker to corrections and tags. Its keys: the story (s<id>: its corrections and taggings too), its
    section, its bylines' authors, its lead photo, the photos its body names, its tags. Made with two
    queries (bylines, tags), three when the story has corrections; the lookup that found the story (through
    `published()`) runs for every request all the same. Its address's scheme and host are part of its name
    (absolute links in the head). `fresh` (staff, previews): made afresh and not kept: a draft's saves
    change no key.
    """

    def make():
        prefetch_related_objects(
            [article], Prefetch("bylines", queryset=Byline.objects.select_related("author")), "tags"
        )
        body = story_body.render(article.body)
        article.body_photos = body.photos  # for the JSON-LD image list
        tag_ids = [tag.pk for tag in article.tags.all()]
        named = story_body.all_photo_ids(story_body.elements(article.body)) if "data-" in article.body else []
        freshness.depends_on(
            *freshness.story_keys(article), *(f"t{pk}" for pk in tag_ids), *(f"p{pk}" for pk in named)
        )
        context = {
            "article": article,
            "notes": list(article.corrections.all()) if article.has_corrections else [],
            "body": body,
            "preview": preview,
        }
        return {
            name: get_template(template).render(context, request)
            for name, template in STORY_PART_TEMPLATES.items()
        } | {"tag_ids": tag_ids, "body_js": body.html != article.body, "frame_sources": body.frame_sources}

    return freshness.fragment(story_part_name(request, article), make, fresh=fresh)


def story_part_name(request, article) -> tuple:
    return ("story", article.pk, request.scheme, request.get_host())


STORY_PART_TEMPLATES = {
    "meta": "includes/meta.html",
    "head": "articles/story_head.html",
    "story": "articles/story.html",
}


def render_article(request, article, *, preview=False):
    fresh = preview or freshness.is_staff_request(request)
    if not fresh:
        freshness.read_ahead(story_part_name(request, article), ("related", article.pk))
    part = story_part(request, article, preview=preview, fresh=fresh)
    related = related_part(article, part["tag_ids"], fresh=fresh)
    context = {"article": article, "part": part, "related": related, "preview": preview}
    response = render(request, "articles/article.html", context)
    if part["frame_sources"]:  # only a page with embeds may frame their providers, after the reader's click
        response._csp_config = {**settings.SECURE_CSP, "frame-src": part["frame_sources"]}
    return response


def article(request, year, month, day, slug):
    found = article_detail_queryset().published().filter(slug=slug).order_by()[:1]
    story = next(iter(found), None)  # a slug is unique: first()'s ORDER BY would cost only time to write
    if story is None:
        return missing_article(request, slug)
    canonical = story.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    return render_article(request, story)


def missing_article(request, slug):
    """A story's old slug answers 301 to where it lives now; a story taken down answers 410 Gone."""
    moved = Article.objects.published().filter(old_slugs__slug=slug).first()
    if moved is not None:
        return redirect(moved.get_absolute_url(), permanent=True)
    if Article.objects.filter(slug=slug, unpublished_at__isnull=False).exists():
        return render(request, "410.html", status=410)
    raise Http404("No such story.")


@never_cache
def preview(request, pk):
    """Staff see a story exactly as readers will; everyone else gets 404, not a login page.

    An embargoed story only to those who may read it (roles.readable), so a 404 tells nothing either.
    """
    if not (request.user.is_active and request.user.is_staff):
        raise Http404("No such story.")
    story = get_object_or_404(roles.readable(article_detail_queryset(), request.user), pk=pk)
    return render_article(request, story, preview=True)


def sent_by_another_site(request) -> bool:
    """True if the browser says the request comes from another site's page (Fetch metadata, else Origin).

    Browsers send both with navigator.sendBeacon; a client sending neither is judged by the rest of the
    beacon's checks (its User-Agent, its address's allowance).
    """
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "same-site"):
        return True
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.get_host()


def is_public_story(pk) -> bool:
    freshness.depends_on(f"s{pk}")
    return Article.objects.published().filter(pk=pk).exists()


@csrf_exempt  # a counter, sent by navigator.sendBeacon: no token, but cross-site beacons are refused below
@require_POST
def beacon(request, pk):
    """Count one reader's view of a published story (deduplicated, limited per address, bots and staff
    ignored); another site's pages may not send it."""
    if sent_by_another_site(request):
        return HttpResponse(status=403)
    # Readers send a beacon for every story they open, mostly the same few: each worker checks a story once
    # until it changes.
    if not freshness.fragment(("public", pk), lambda: is_public_story(pk)):
        return HttpResponse(status=404)
    if request.user.is_staff:
        return HttpResponse(status=204)
    trending.count_view(
        pk,
        address=client_address(request),
        user_agent=request.headers.get("User-Agent", ""),
        at=timezone.now(),
    )
    return HttpResponse(status=204)


def search(request):
    """Search published stories; the query is cleaned and capped before it reaches the database."""
    query = story_search.clean_query(request.GET.get("q", ""))
    ranked = story_search.search(query)
    # Ranked as ids, the page's stories loaded after: sorting every match with its columns cost 15 ms of 27.
    count_key = f"search:{hashlib.md5(query.encode(), usedforsecurity=False).hexdigest()}"
    ids = ranked.values_list("pk", flat=True)
    paginator = StoryPaginator(ids, settings.PAGE_SIZE, count_key=count_key, list_key="list")
    page = paginator.get_page(request.GET.get("page"))
    results = story_search.highlight(story_search.in_order(ranked, page.object_list), query)
    freshness.depends_on("list", *(f"s{story.pk}" for story in results))
    return render(request, "articles/search.html", {"query": query, "page_obj": page, "results": results})
