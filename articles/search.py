"""Search published stories with the database's full-text search: PostgreSQL's, or SQLite's FTS5.

On PostgreSQL the headline weighs most (A), then the standfirst (B), then the body (C); words are stemmed
with the SEARCH_CONFIG dictionary ("protests" finds "protest"), results are ranked with ts_rank and
highlighted with ts_headline. websearch_to_tsquery reads the query, and accepts any text without syntax
errors ("quoted phrases", -exclusions, or). The weighted document is a stored column with a GIN index
(migration 0006), so ranking reads it rather than recomputing it from every matching body.

On SQLite an FTS5 table (migration 0005, kept in step by triggers) indexes headline, dek and body, stemmed
with the porter tokenizer. The reader's query becomes an FTS5 expression of quoted strings only, so no input
is FTS5 syntax: "quoted phrases", -exclusions and or work as on PostgreSQL. bm25 ranks the headline above
the standfirst above the body, as the weights A, B, C do; FTS5's highlight() marks what matched, stems too.
On both, a query matching more than RANKED_MATCHES stories ranks only the most recently added of them.

Both paths filter Article.objects.published() and return a queryset, so pagination and with_cards() work.
"""

import html
import re

from django.conf import settings
from django.db import connections
from django.db.models import TextField, Value
from django.db.models.expressions import RawSQL
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
# bm25 weights of the FTS5 columns, in their order; PostgreSQL's A, B, C weigh 1.0, 0.4, 0.2.
FTS_TABLE = "articles_article_fts"
FTS_WEIGHTS = (("headline", 5.0), ("dek", 2.0), ("body", 1.0))
# How many of the most recently added matching stories are ranked (100 pages of results).
RANKED_MATCHES = 2000
DOCUMENT_COLUMN = "search_document"  # PostgreSQL's stored document (migration 0006)
# A word or "quoted phrase" (an unclosed quote runs to the end), either with a leading minus.
QUERY_PIECE = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
MARKED_ENTITY = re.compile(f"&{START}?(#?\\w+){STOP}?;")
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
    return fts5(stories, query)


def document():
    """The weighted search document, stored by PostgreSQL in its own column (migration 0006)."""
    from django.contrib.postgres.search import SearchVectorField

    return RawSQL(f'"articles_article"."{DOCUMENT_COLUMN}"', [], output_field=SearchVectorField())


def full_text(stories, query: str):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    config = settings.SEARCH_CONFIG
    terms = SearchQuery(query, search_type="websearch", config=config)
    marks = {"config": config, "start_sel": START, "stop_sel": STOP}
    # As on SQLite, only the RANKED_MATCHES most recently added matches are ranked. Where they start is looked
    # up first, on its own: given as a value, the planner reads just those rows by primary key (given as a
    # subquery, it scanned the whole table).
    with connections[stories.db].cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM articles_article WHERE {DOCUMENT_COLUMN} @@ "
            "websearch_to_tsquery(%s::regconfig, %s) ORDER BY id DESC OFFSET %s LIMIT 1",
            [config, query, RANKED_MATCHES - 1],
        )
        newest = cursor.fetchone()
    return (
        stories.alias(document=document())
        .filter(document=terms, pk__gte=newest[0] if newest else 0)
        .annotate(
            rank=SearchRank(document(), terms),
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


def in_order(ranked, ids) -> list:
    """The stories of `ids` in that order (a story gone since is left out), as highlight() wants them.

    On PostgreSQL from the ranked queryset, so ts_headline marks just these stories; on SQLite by id alone
    (highlight() asks FTS5 for the marks): through the MATCH, FTS5 read every match again to find twenty.
    """
    ids = list(ids)
    if connections[ranked.db].vendor != "postgresql":
        ranked = Article.objects.published().with_cards()
    stories = ranked.defer("body").in_bulk(ids) if ids else {}  # ts_headline reads the body in the database
    return [stories[pk] for pk in ids if pk in stories]


def fts5_string(text: str) -> str:
    """An FTS5 string: a word or phrase, never an operator ("" is a quote inside it)."""
    return '"' + text.replace('"', '""') + '"'


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression for a reader's query, websearch-style; "" when nothing is left to find.

    Every word and "quoted phrase" is an FTS5 string, so `*`, `^`, `NEAR(`, `:` or a stray quote are just
    text. A leading minus excludes a word or phrase; `or` between words offers alternatives. Pieces with no
    letter or digit (which the tokenizer would drop) are dropped, and so is a part of the query with only
    exclusions: FTS5 cannot say "every story without this word".
    """
    alternatives, positive, negative = [], [], []
    for minus, phrase, word in QUERY_PIECE.findall(query)[: MAX_TERMS * 2]:
        text = phrase or word
        if not phrase and word.lower() == "or" and not minus:
            alternatives.append((positive, negative))
            positive, negative = [], []
        elif any(ch.isalnum() for ch in text):
            (negative if minus else positive).append(fts5_string(text))
    alternatives.append((positive, negative))
    groups = [
        "(" + " ".join(positive[:MAX_TERMS]) + ")" + "".join(f" NOT {n}" for n in negative[:MAX_TERMS])
        for positive, negative in alternatives
        if positive
    ]
    return " OR ".join(groups)


def fts5(stories, query: str):
    expression = match_expression(query)
    if not expression:
        return stories.none()
    table = FTS_TABLE
    # Only the RANKED_MATCHES most recently added matches are ranked: FTS5 finds where they start from its
    # index alone (the row id of the last of them), and ranks from there. A word in almost every story
    # otherwise meant ranking and sorting the whole archive (~450 ms at 100,000 stories; now ~6 ms).
    newest = (
        f"COALESCE((SELECT rowid FROM {table} WHERE {table} MATCH %s "
        f"ORDER BY rowid DESC LIMIT 1 OFFSET {RANKED_MATCHES - 1}), 0)"
    )
    # Without the body, the rows SQLite sorts by rank are a tenth the size; highlight() reads it through FTS5.
    return (
        stories.defer("body")
        .extra(
            tables=[table],
            where=[f"{table}.rowid = articles_article.id", f"{table} MATCH %s", f"{table}.rowid >= {newest}"],
            params=[expression, expression],
            select={"rank": f"bm25({table}, {', '.join(str(w) for _, w in FTS_WEIGHTS)})"},
        )
        .order_by("rank", "-published_at", "-pk")
    )


def plain_text(markup: str) -> str:
    """Text of an HTML fragment, blocks separated by spaces, without stray highlight marks."""
    text = html.unescape(strip_tags(BLOCK_TAG.sub(r" \g<0>", markup)))
    return " ".join(text.split())


def marked_html(marked: str) -> SafeString:
    """Escape text carrying START/STOP highlight marks, then turn the marks into <mark> elements."""
    return mark_safe(escape(marked).replace(START, "<mark>").replace(STOP, "</mark>"))


def excerpt(text: str) -> str:
    """About SNIPPET_CHARS characters of marked text, starting a little before the first mark."""
    start = max(0, text.find(START) - SNIPPET_CHARS // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + SNIPPET_CHARS
    if end < len(text) and " " in text[start:end]:
        end = text.rfind(" ", start, end)
    return ("… " if start else "") + balanced(text[start:end]) + (" …" if end < len(text) else "")


def balanced(marked: str) -> str:
    """Marked text whose marks pair up: a cut may have left a STOP without START or a START without STOP."""
    out, open_ = [], False
    for ch in marked:
        if ch == START:
            if open_:
                continue
            open_ = True
        elif ch == STOP:
            if not open_:
                continue
            open_ = False
        out.append(ch)
    return "".join(out) + (STOP if open_ else "")


def fts5_marks(stories, query: str) -> dict:
    """Headline, dek and body of each story as FTS5 highlight() marks them for the query, by id."""
    if not stories:
        return {}
    table = FTS_TABLE
    columns = ", ".join(f"highlight({table}, {i}, %s, %s)" for i in range(len(FTS_WEIGHTS)))
    ids = [story.pk for story in stories]
    sql = (
        f"SELECT rowid, {columns} FROM {table} WHERE {table} MATCH %s "
        f"AND rowid IN ({', '.join(['%s'] * len(ids))})"
    )
    with connections[stories[0]._state.db].cursor() as cursor:
        cursor.execute(sql, [START, STOP] * len(FTS_WEIGHTS) + [match_expression(query), *ids])
        return {row[0]: row[1:] for row in cursor.fetchall()}


def highlight(stories, query: str) -> list:
    """Give each story `headline_html` and `snippet_html`: safe HTML with the matches in <mark>."""
    stories = list(stories)
    marks = {} if not stories or hasattr(stories[0], "marked_headline") else fts5_marks(stories, query)
    for story in stories:
        if hasattr(story, "marked_headline"):  # PostgreSQL's ts_headline did the work
            story.headline_html = marked_html(story.marked_headline)
            # ts_headline leaves a space where each tag was: "the <em>harbour</em>." -> "the  harbour ."
            snippet = SPACE_BEFORE_PUNCTUATION.sub("", plain_text(story.marked_snippet))
            story.snippet_html = marked_html(snippet)
        else:
            # A story edited since the page query may no longer match: shown unmarked, without a snippet.
            headline, dek, body = marks.get(story.pk, (story.headline, story.dek, ""))
            # A match inside an entity ("&amp;") would break it: keep the entity, drop the marks.
            text = plain_text(MARKED_ENTITY.sub(r"&\1;", f"{dek} {body}"))
            story.headline_html = marked_html(balanced(headline))
            story.snippet_html = marked_html(excerpt(text))
    return stories
