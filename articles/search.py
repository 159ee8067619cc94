"""Search published stories: PostgreSQL full-text search, or a plain substring search on SQLite.

On PostgreSQL the headline weighs most (A), then the standfirst (B), then the body (C); words are stemmed
with the SEARCH_CONFIG dictionary ("protests" finds "protest"), results are ranked with ts_rank and
highlighted with ts_headline. websearch_to_tsquery reads the query, and accepts any text without syntax
errors ("quoted phrases", -exclusions, or). A GIN index (migration 0002) holds the same weighted document.

On SQLite every word must appear in the headline, standfirst or body; headline matches come first.
"""

import html
import re

from django.conf import settings
from django.db import connections
from django.db.models import Case, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
SNIPPET_CHARS = 220
# Private-use characters mark highlights inside text that is escaped afterwards, so highlights can never
# smuggle markup in; <mark> is added only after escaping.
START, STOP = "\ue000", "\ue001"
TERM_WEIGHTS = (("headline", 4), ("dek", 2), ("body", 1))
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[.,;:!?)\]])")
BLOCK_TAG = re.compile(r"</?(p|h[1-6]|li|ul|ol|blockquote|figure|figcaption|div|br|hr|tr|td|th)\b", re.I)


def clean_query(raw: str) -> str:
    """A reader's query as plain text: no control characters, spaces collapsed, at most 200 characters."""
    printable = "".join(ch if ch.isprintable() and ch not in (START, STOP) else " " for ch in raw or "")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH].strip()


def search(query: str):
    """Published stories matching a cleaned query, best first; an empty query matches nothing."""
    stories = Article.objects.published().with_cards()
    if not query:
        return stories.none()
    if connections[stories.db].vendor == "postgresql":
        return full_text(stories, query)
    return substring(stories, query)


def document(config: str):
    """The weighted search document; migration 0002 indexes exactly this expression."""
    from django.contrib.postgres.search import SearchVector

    return (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("dek", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def full_text(stories, query: str):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    config = settings.SEARCH_CONFIG
    terms = SearchQuery(query, search_type="websearch", config=config)
    marks = {"config": config, "start_sel": START, "stop_sel": STOP}
    return (
        stories.alias(document=document(config))
        .filter(document=terms)
        .annotate(
            rank=SearchRank(document(config), terms),
            marked_headline=SearchHeadline("headline", terms, highlight_all=True, **marks),
            marked_snippet=SearchHeadline(
                Concat("dek", Value(" "), "body", output_field=TextField()),
                terms,
                max_words=35,
                min_words=15,
                **marks,
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
    )


def terms_of(query: str) -> list[str]:
    """The words of a query for the substring search: quotes and a leading minus dropped, at most ten."""
    words = (word.strip('"').lstrip("-") for word in query.split())
    return [word for word in words if word][:MAX_TERMS]


def substring(stories, query: str):
    terms = terms_of(query)
    if not terms:
        return stories.none()
    matches = Q()
    score = Value(0)
    for term in terms:
        matches &= Q(headline__icontains=term) | Q(dek__icontains=term) | Q(body__icontains=term)
        for field, weight in TERM_WEIGHTS:
            hit = Q(**{f"{field}__icontains": term})
            score = score + Case(When(hit, then=Value(weight)), default=Value(0), output_field=IntegerField())
    return stories.filter(matches).annotate(rank=score).order_by("-rank", "-published_at", "-pk")


def plain_text(markup: str) -> str:
    """Text of an HTML fragment, blocks separated by spaces, without stray highlight marks."""
    text = html.unescape(strip_tags(BLOCK_TAG.sub(r" \g<0>", markup)))
    return " ".join(text.split())


def marked_html(marked: str) -> SafeString:
    """Escape text carrying START/STOP highlight marks, then turn the marks into <mark> elements."""
    return mark_safe(escape(marked).replace(START, "<mark>").replace(STOP, "</mark>"))


def mark_terms(text: str, terms: list[str]) -> str:
    """Put START/STOP marks around every occurrence of the terms (case-insensitive)."""
    text = text.replace(START, " ").replace(STOP, " ")
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    return pattern.sub(lambda m: f"{START}{m.group()}{STOP}", text)


def excerpt(text: str, terms: list[str]) -> str:
    """About SNIPPET_CHARS characters of text, starting a little before the first term found."""
    lowered = text.lower()
    found = [i for i in (lowered.find(t.lower()) for t in terms) if i >= 0]
    start = max(0, min(found, default=0) - SNIPPET_CHARS // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + SNIPPET_CHARS
    if end < len(text) and " " in text[start:end]:
        end = text.rfind(" ", start, end)
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def highlight(stories, query: str) -> list:
    """Give each story `headline_html` and `snippet_html`: safe HTML with the matches in <mark>."""
    stories = list(stories)
    terms = terms_of(query)
    for story in stories:
        if hasattr(story, "marked_headline"):  # PostgreSQL's ts_headline did the work
            story.headline_html = marked_html(story.marked_headline)
            # ts_headline leaves a space where each tag was: "the <em>harbour</em>." -> "the  harbour ."
            snippet = SPACE_BEFORE_PUNCTUATION.sub("", plain_text(story.marked_snippet))
            story.snippet_html = marked_html(snippet)
        else:
            text = plain_text(f"{story.dek} {story.body}")
            story.headline_html = marked_html(mark_terms(story.headline, terms))
            story.snippet_html = marked_html(mark_terms(excerpt(text, terms), terms))
    return stories
