"""In-process measurements for `make bench`, on the database DATABASE_URL names (bench/run.py calls this).

    python bench/measure.py pages --json FILE      SQL queries (and plans) per page, the paths to load-test
    python bench/measure.py trending --json FILE   Trending Now recompute time on each backend

Pages are fetched with Django's test client. "queries" is a page rendered afresh with its fragments (cards,
front, counts) remembered (what an uncached request costs in production); "cold" is the page's first render in
a worker: every cache empty but the parts every public page shows (the menu, the banner, the footer's pages,
Trending Now and "Just in"), made once per worker for all pages and counted apart ("site_wide_queries").
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.views.defaults import page_not_found  # noqa: E402

from articles import trending  # noqa: E402
from articles.freshness import changes, clock  # noqa: E402
from articles.models import Article, Author, Section, Tag  # noqa: E402

SEARCH_WORDS = "harbour strike"


def page_urls() -> dict[str, str]:
    """One URL per kind of page, on the biggest section, author and tag (the deepest archives)."""
    section = Section.objects.annotate(n=Count("articles")).order_by("-n").first()
    author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
    tag = Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n").first()
    story = Article.objects.published().latest().first()
    in_section = Article.objects.published().filter(section=section).count()
    last_page = max(1, -(-in_section // settings.PAGE_SIZE))
    urls = {
        "home": reverse("articles:home"),
        "section": section.get_absolute_url(),
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "article": story.get_absolute_url(),
        "section_last_page": f"{section.get_absolute_url()}?page={last_page}",
    }
    try:
        if not os.environ.get("BENCH_SKIP_SEARCH"):
            urls["search"] = f"{reverse('articles:search')}?q={SEARCH_WORDS.replace(' ', '+')}"
    except NoReverseMatch:
        pass
    return urls


def scans(queries: list[dict]) -> list[str]:
    """Tables a page's queries read in full (no index), from the database's own query plans.

    Only tables: SQLite also says SCAN of a subquery's own rows (the related stories' 100 neighbours a side).
    """
    found = set()
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                for row in cursor.fetchall():
                    detail = row[-1]
                    if detail.startswith("SCAN ") and " USING " not in detail and detail.split()[1] in tables:
                        found.add(detail.split()[1])
            elif connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN {sql}")
                for (line,) in cursor.fetchall():
                    if "Seq Scan on " in line:
                        found.add(line.split("Seq Scan on ")[1].split()[0])
    return sorted(found)


def site_wide_parts() -> int:
    """Make what every public page shows (base.html's menu, banner, footer, Trending Now, "Just in") and the
    next go-live moment, as a worker does once for all its pages; the queries that took.

    Rendered through the 404 page, which shows nothing else, so a part added to base.html is counted here too.
    """
    request = RequestFactory().get("/no-such-page/")
    with CaptureQueriesContext(connection) as made:
        changes.due(clock.time())
        page_not_found(request, None)
    return len(made.captured_queries)


def measure_pages(out: Path) -> dict:
    client = Client()
    settings.PAGE_CACHE_SECONDS = 0  # every request renders its page; fragments are kept, as in production
    result = {"stories": Article.objects.count(), "vendor": connection.vendor, "pages": {}}
    for name, url in page_urls().items():
        for alias in ("default", "local"):  # the shared cache and the worker's own memory
            caches[alias].clear()
        result["site_wide_queries"] = site_wide_parts()
        reset_queries()  # each request resets the log; start at zero so the captured slice is right
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(url)
        cold_seconds = time.perf_counter() - started
        cold_count = len(cold.captured_queries)  # read now: the next request empties the log it points into
        sep = "&" if "?" in url else "?"
        client.get(f"{url}{sep}warm=1")  # fills Trending Now, the menu and the cards, as in production
        reset_queries()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as warm:
            response = client.get(f"{url}{sep}warm=2")  # a page-cache miss with warm fragments
        seconds = time.perf_counter() - started
        result["pages"][name] = {
            "url": url,
            "status": response.status_code,
            "bytes": len(response.content),
            "queries": len(warm.captured_queries),
            "cold_queries": cold_count,
            "render_ms": round(seconds * 1000, 1),
            "cold_render_ms": round(cold_seconds * 1000, 1),
            "full_scans": scans(warm.captured_queries),
            "sql": [q["sql"][:300] for q in warm.captured_queries],
        }
        if name == "article":
            result["article_html"] = response.content.decode()
            times = []
            for _ in range(9):  # the article page, rendered afresh with warm fragments: its median
                started = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - started)
            result["pages"][name]["render_ms_median"] = round(statistics.median(times) * 1000, 2)
    out.write_text(json.dumps(result, indent=1))
    return result


def load_paths(out_dir: Path, n: int = 2000) -> None:
    """Write the URL lists the load client picks from: many stories, the big sections, authors and tags."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stories = Article.objects.published().order_by("?").only("slug", "published_at")[:n]
    lists = {
        "article": [a.get_absolute_url() for a in stories],
        "section": [s.get_absolute_url() for s in Section.objects.all()],
        "author": [
            a.get_absolute_url() for a in Author.objects.annotate(n=Count("bylines")).order_by("-n")[:100]
        ],
        "tag": [
            t.get_absolute_url()
            for t in Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n")[:200]
        ],
        "home": [reverse("articles:home")],
        "beacon": [reverse("articles:beacon", args=[a.pk]) for a in stories],
    }
    try:
        if os.environ.get("BENCH_SKIP_SEARCH"):
            raise NoReverseMatch
        search = reverse("articles:search")
        words = ["harbour", "strike", "election", "minister", "storm", "budget", "court", "energy+prices"]
        lists["search"] = [f"{search}?q={w}" for w in words]
    except NoReverseMatch:
        pass
    for name, paths in lists.items():
        (out_dir / f"{name}.txt").write_text("\n".join(paths) + "\n")


def timed(fn, repeat: int = 15) -> dict:
    fn()  # connections and caches warm, as in a running worker
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(runs), 2), "max_ms": round(max(runs), 2)}


def measure_trending(out: Path, redis_url: str) -> dict:
    window, now = settings.TRENDING_WINDOW_HOURS, trending.hour_of()
    from articles.models import HourlyViews

    since = now - window + 1
    result = {
        "window_hours": window,
        "hourly_rows_total": HourlyViews.objects.count(),
        "hourly_rows_in_window": HourlyViews.objects.filter(hour__gte=since).count(),
        "views_total": sum(HourlyViews.objects.values_list("views", flat=True)),
    }
    result["rows_this_hour"] = HourlyViews.objects.filter(hour=now).count()
    backends = {"database": trending.DatabaseBackend()}
    if redis_url:
        backends["redis"] = trending.RedisBackend(redis_url)
    n = settings.TRENDING_SIZE
    for name, backend in backends.items():
        # What a page pays when Trending Now's short cache runs out: this hour + the cached hourly roll-up.
        result[name] = timed(lambda backend=backend: backend.ranking(n, window, now))
        # Once an hour (shared through the cache by all workers): summing the window's finished hours.
        result[name]["rollup"] = timed(
            lambda backend=backend: backend.full_ranking(trending.ROLLUP_SIZE, since, now - 1), 3
        )
        result[name]["top"] = backend.ranking(n, window, now)
        result[name]["exact"] = result[name]["top"] == backend.full_ranking(n, since, now)
    if redis_url:
        result["same_ranking"] = result["redis"]["top"] == result["database"]["top"]
    out.write_text(json.dumps(result, indent=1))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["pages", "paths", "trending"])
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--redis", default="")
    args = parser.parse_args()
    if args.what == "pages":
        measure_pages(args.json)
    elif args.what == "paths":
        load_paths(args.json)
    else:
        measure_trending(args.json, args.redis)


if __name__ == "__main__":
    main()
