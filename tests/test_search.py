from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import search
from tests.conftest import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="full-text search runs on PostgreSQL (CI's 2nd pass)"
)
sqlite_only = pytest.mark.skipif(ON_POSTGRESQL, reason="FTS5 search runs on SQLite (CI's 1st pass)")


@pytest.fixture
def harbour():
    news = make_section("News")
    body_match = make_article(
        "Council meets",
        section=news,
        body="<p>The council discussed the harbour and its ferries.</p>",
        ago=timedelta(minutes=5),
    )
    headline_match = make_article(
        "Harbour reopens after storm",
        section=news,
        authors=[make_author("Anna Berg")],
        body="<p>Ships returned on Monday.</p>",
        ago=timedelta(hours=5),
    )
    dek_match = make_article("Ferry news", section=news, dek="The harbour is busy.", ago=timedelta(hours=2))
    make_article("Harbour draft", section=news, status="draft")
    make_article("Harbour scheduled", section=news, ago=timedelta(hours=-1))
    return headline_match, dek_match, body_match


def headlines(client, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return [story.headline for story in response.context["results"]]


def test_headline_match_ranks_above_standfirst_and_body_matches(client, harbour):
    assert headlines(client, "harbour") == ["Harbour reopens after storm", "Ferry news", "Council meets"]


def test_only_published_stories_are_found(client, harbour):
    found = headlines(client, "harbour")
    assert "Harbour draft" not in found and "Harbour scheduled" not in found


def test_matches_are_highlighted_and_escaped(client):
    make_article("Cheap <b>fish</b> & chips", body="<p>Fish &amp; chips by the <em>harbour</em>.</p>")
    response = client.get("/search/", {"q": "chips"})
    html = response.content.decode()
    assert "<mark>chips</mark>" in html
    assert "Cheap &lt;b&gt;fish&lt;/b&gt; &amp; <mark>chips</mark>" in html
    assert "Fish &amp; <mark>chips</mark> by the harbour." in html


def test_empty_query_asks_for_words_and_costs_no_query(client, harbour):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert list(response.context["results"]) == []
    assert "Type a word or two" in response.content.decode()
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "MATCH" not in sql and "@@" not in sql  # only the sidebar's queries, no search


@pytest.mark.parametrize(
    "query",
    [
        "' OR 1=1 --",
        '"unbalanced',
        "harbour & | ! :* ( ) < > \\",
        "\x00harbour\x07",
        "-",
        "the",
        "<script>alert(1)</script>",
        "harbour " * 500,
        # FTS5 syntax is plain text too
        '"',
        "*",
        "harbour*",
        "NEAR(",
        "NEAR(harbour storm)",
        "a OR",
        "OR",
        "^harbour",
        "--harbour",
        "headline:x",
        "AND",
        "harbour NOT",
        '""""',
        "(",
        ")",
        "!@#$%^&*()_+=[]{};:,.<>?/~`|\\" * 7,
    ],
)
def test_hostile_queries_answer_normally(client, harbour, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert len(response.context["query"]) <= search.MAX_QUERY_LENGTH


def test_query_is_cleaned_and_capped():
    assert search.clean_query("  harbour\x00\n  storm\t") == "harbour storm"
    assert len(search.clean_query("x" * 5000)) == 200
    assert search.clean_query(None) == ""


def test_results_are_paginated_and_keep_the_query(client, settings):
    from articles import views

    settings.PAGE_SIZE = 2
    make_section("News")
    for i in range(5):
        make_article(f"Harbour story {i}", ago=timedelta(hours=i + 1))
    views.settings.PAGE_SIZE = 2
    response = client.get("/search/", {"q": "harbour", "page": "2"})
    assert [s.headline for s in response.context["results"]] == ["Harbour story 2", "Harbour story 3"]
    assert 'href="?q=harbour&amp;page=3"' in response.content.decode()
    assert client.get("/search/", {"q": "harbour", "page": "abc"}).status_code == 200


def test_the_count_of_matches_is_kept_until_the_list_changes_in_the_shared_cache_only(client, harbour):
    assert client.get("/search/", {"q": "harbour"}).context["page_obj"].paginator.count == 3
    with CaptureQueriesContext(connection) as first:
        client.get("/search/", {"q": "harbour", "page": "1"})  # another address: the page cache misses
    with CaptureQueriesContext(connection) as second:
        response = client.get("/search/", {"q": "ferries", "page": "1"})
    assert response.context["page_obj"].paginator.count == 2  # stemmed: "ferries" finds "Ferry news" too
    assert len(second) == len(first) + 1  # a new query is counted; a known one is not
    make_article("Harbour wall repaired")  # publishing changes the list of public stories: counted afresh
    assert client.get("/search/", {"q": "harbour", "after": "1"}).context["page_obj"].paginator.count == 4


def test_search_page_is_linked_from_every_page(client):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html and 'name="q"' in html


def test_search_stems_words(client, harbour):
    make_article("Protesters gather", body="<p>Thousands protested on Sunday.</p>")
    assert headlines(client, "protest") == ["Protesters gather"]
    assert headlines(client, "storms") == ["Harbour reopens after storm"]


def test_search_understands_phrases_and_exclusions(client, harbour):
    assert headlines(client, '"harbour reopens"') == ["Harbour reopens after storm"]
    assert headlines(client, '"reopens harbour"') == []
    assert headlines(client, "harbour -ferries -busy") == ["Harbour reopens after storm"]


def test_search_highlights_stemmed_matches(client, harbour):
    response = client.get("/search/", {"q": "ferries"})
    found = {story.headline: story for story in response.context["results"]}
    assert set(found) == {"Council meets", "Ferry news"}  # "ferry" and "ferries" share a stem
    assert str(found["Council meets"].snippet_html) == (
        "The council discussed the harbour and its <mark>ferries</mark>."
    )
    assert str(found["Ferry news"].headline_html) == "<mark>Ferry</mark> news"


@postgresql_only
def test_full_text_search_reads_the_stored_document_through_its_index(harbour, settings):
    from django.contrib.postgres.search import SearchQuery

    from articles.models import Article

    terms = SearchQuery("harbour", search_type="websearch", config=settings.SEARCH_CONFIG)
    matching = Article.objects.alias(document=search.document()).filter(document=terms)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table would otherwise be scanned
        plan = matching.explain()
        cursor.execute("RESET enable_seqscan")
    assert "article_search_document_idx" in plan
    assert "to_tsvector" not in str(search.search("harbour").query)  # ranked from the stored document


@postgresql_only
def test_the_stored_document_follows_every_edit(harbour):
    story = harbour[0]
    story.headline, story.body = "Airport reopens", "<p>Planes returned.</p>"
    story.save()
    assert [s.headline for s in search.search("airport")] == ["Airport reopens"]
    assert "Airport reopens" not in [s.headline for s in search.search("ships")]


@postgresql_only
def test_a_word_in_most_stories_ranks_only_the_newest_matches_on_postgresql(monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 3)
    news = make_section("News")
    stories = [make_article(f"Harbour story {i}", section=news, ago=timedelta(hours=9 - i)) for i in range(5)]
    found = list(search.search("harbour"))
    assert sorted(s.pk for s in found) == sorted(s.pk for s in stories[-3:])  # the three added last
    assert search.search("harbour").count() == 3


@sqlite_only
def test_fts5_finds_every_word_anywhere(client, harbour):
    assert headlines(client, "council ferries") == ["Council meets"]
    assert headlines(client, "HARBOUR storm") == ["Harbour reopens after storm"]
    assert headlines(client, "nothing-like-this") == []


@sqlite_only
def test_fts5_snippet_shows_text_around_the_match(client):
    make_article("Long read", body="<p>" + "word " * 100 + "harbour tail.</p>")
    (story,) = client.get("/search/", {"q": "harbour"}).context["results"]
    assert str(story.snippet_html).startswith("… word")
    assert str(story.snippet_html).endswith("<mark>harbour</mark> tail.")


@sqlite_only
def test_fts5_excludes_phrases_and_offers_alternatives(client, harbour):
    # FTS5 has no stop words: the excluded phrase is "its ferries" exactly (PostgreSQL drops "its")
    assert headlines(client, 'harbour -"its ferries"') == ["Harbour reopens after storm", "Ferry news"]
    assert headlines(client, "storm or busy") == ["Harbour reopens after storm", "Ferry news"]


def test_search_ranks_headline_above_body_however_new(client):
    make_article("Old harbour tales", ago=timedelta(days=300))
    make_article("Fresh news", body="<p>A word about the harbour.</p>", ago=timedelta(minutes=1))
    assert headlines(client, "harbour") == ["Old harbour tales", "Fresh news"]


def test_search_equal_matches_come_newest_first(client):
    for days in (3, 1, 2):
        make_article(f"Harbour day {days}", ago=timedelta(days=days))
    assert headlines(client, "harbour") == ["Harbour day 1", "Harbour day 2", "Harbour day 3"]


def test_search_never_finds_drafts_or_scheduled_stories(client, harbour):
    assert headlines(client, "draft") == []
    assert headlines(client, "scheduled") == []


@sqlite_only
def test_fts5_finds_an_edited_story_by_its_new_words_only(client, harbour):
    story, _, _ = harbour
    story.headline = "Lighthouse reopens after storm"
    story.body = "<p>Keepers returned on Monday.</p>"
    story.save()
    assert headlines(client, "lighthouse keepers") == ["Lighthouse reopens after storm"]
    assert "Lighthouse reopens after storm" not in headlines(client, "harbour")
    assert headlines(client, "ships") == []


@sqlite_only
def test_fts5_forgets_a_deleted_story(client, harbour):
    story, _, _ = harbour
    story.delete()
    assert headlines(client, "storm") == []
    assert headlines(client, "harbour") == ["Ferry news", "Council meets"]


@sqlite_only
def test_fts5_index_agrees_with_the_table(harbour):
    from articles.models import Article

    Article.objects.filter(pk=harbour[0].pk).update(status="draft")  # no text change: the trigger stays idle
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
        )


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("harbour storm", '("harbour" "storm")'),
        ('"harbour reopens" -ferry', '("harbour reopens") NOT "ferry"'),
        ('say "hi', '("say" "hi")'),
        ('a"b', '("a" "b")'),
        ("storm or busy", '("storm") OR ("busy")'),
        ("a OR", '("a")'),
        ("-harbour", ""),
        ('* ^ - NEAR( : ""', '("NEAR(")'),
        ('quo""te', '("quo" "te")'),
        ('x"y""z"', '("x" "y" "z")'),
        ("", ""),
    ],
)
def test_match_expression_quotes_everything(query, expression):
    assert search.match_expression(query) == expression


def test_fts5_string_doubles_inner_quotes():
    assert search.fts5_string('say "hi"') == '"say ""hi"""'


@sqlite_only
def test_a_word_in_most_stories_ranks_only_the_newest_matches(monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 3)
    news = make_section("News")
    stories = [make_article(f"Harbour story {i}", section=news, ago=timedelta(hours=9 - i)) for i in range(5)]
    make_article("Storm story", section=news)
    found = list(search.search("harbour"))
    assert sorted(s.pk for s in found) == sorted(s.pk for s in stories[-3:])  # the three added last
    assert search.search("harbour").count() == 3
    assert [s.headline for s in search.search("storm")] == ["Storm story"]  # fewer matches: all ranked
