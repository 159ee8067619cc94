"""The editors' dashboard on the admin index: what is mine, what waits, what comes next, what readers read."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control

from articles import desk, roles, trending
from articles.models import Article

ROWS = 8


def dashboard(user) -> dict:
    now = timezone.now()
    stories = Article.objects.select_related("section").only(
        "headline", "status", "published_at", "embargo_until", "updated_at", "section__name", "created_by_id"
    )
    stories = roles.readable(stories, user)  # embargoed headlines only for those who may read them
    return {
        "my_drafts": _dated(
            stories.filter(created_by=user, status=Article.Status.DRAFT).order_by("-updated_at"), "updated_at"
        ),
        "in_review": _dated(
            stories.filter(status=Article.Status.REVIEW).order_by("updated_at"), "updated_at"
        ),
        "scheduled": _dated(
            stories.filter(status=Article.Status.PUBLISHED)
            .filter(Q(published_at__gt=now) | Q(embargo_until__gt=now))
            .order_by("published_at"),
            "goes_live_at",
        ),
        "recently_published": _dated(stories.published().order_by("-published_at"), "published_at"),
        "trending": trending.top(),
    }


def _dated(stories, moment: str) -> list[Article]:
    """The first ROWS stories, each with `moment` as the story list shows it (short; in full on hover)."""
    rows = list(stories[:ROWS])
    for story in rows:
        story.moment = desk.list_moment(getattr(story, moment))
    return rows


# The desk's lists in a newsroom's order of use (Django's is alphabetical), each shown to whoever may see it.
DESK_LISTS = ["article", "front", "photo", "author", "section", "tag", "banner", "page"]


def desk_nav(available_apps: list[dict], path: str) -> list[dict]:
    """The desk bar's links: the lists this user may see, the one `path` is in marked current."""
    models = {
        model["object_name"].lower(): model
        for app in available_apps
        if app["app_label"] in ("articles", "pages")
        for model in app["models"]
        if model.get("admin_url")
    }
    return [
        {"name": models[name]["name"], "url": models[name]["admin_url"],
         "current": path.startswith(models[name]["admin_url"])}
        for name in DESK_LISTS
        if name in models
    ]  # fmt: skip


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom"
    index_title = "Newsroom"
    index_template = "admin/newsroom_index.html"
    # The desk's own bar under the header (templates/admin/base_site.html) leads to each list from every
    # page, so Django's sidebar, which took 300 px beside every list and form, is left off.
    enable_nav_sidebar = False

    def each_context(self, request):
        context = super().each_context(request)
        context["desk_nav"] = desk_nav(context["available_apps"], request.path)
        return context

    # The scripts' message catalogue changes only with a release, yet every form asks for it before its
    # scripts run: browsers keep it for an hour rather than fetch it each time.
    @method_decorator(cache_control(private=True, max_age=3600))
    def i18n_javascript(self, request, extra_context=None):
        return super().i18n_javascript(request, extra_context)

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dashboard": dashboard(request.user)}
        return super().index(request, extra_context)
