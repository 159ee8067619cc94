"""Scraped plain-text pages: one story per file.

The first line is the headline. Lines before the first real paragraph are the page's header: byline, dateline,
section label, photo credit and caption, page furniture. After it, each line (or blank-line separated block)
is a paragraph; short lines without end punctuation are sub-headings.
"""

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, tzinfo
from html import escape

from articles.importers.dates import parse_dateline
from articles.importers.decode import decode_text
from articles.importers.names import split_names
from articles.importers.records import ArticleRecord, BylineRecord, Item, PhotoRecord

SOURCE = "text"

FURNITURE = re.compile(
    r"^(trending( now)?|share( this)?( article| story| on \w+)?|advertisement|advert|sponsored( content)?|"
    r"read more\b.*|related( articles| stories)?|most read|more from .*|sign up.*newsletter.*|"
    r"follow us.*|subscribe.*|comments?|print|email|(tweet|facebook|twitter|linkedin|whatsapp)|"
    r"skip to (main )?content|click here.*|listen to this article.*|\d+ min read)[.!:]?$",
    re.IGNORECASE,
)
CREDIT = re.compile(
    r"^(photo|image|photograph|picture|foto|bild|credit|illustration|graphic|video)s?\s*(by|credit)?\s*[:/|]\s*\S",
    re.IGNORECASE,
)
BYLINE = re.compile(
    r"^(?:written\s+|reported\s+|story\s+|words\s+)?by\s*[:\s]\s*(?P<names>\S.*)$", re.IGNORECASE
)
AGENCY_BYLINE = re.compile(
    r"^(?P<names>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}),\s*(?P<agency>Reuters|AP|AFP|dpa|Bloomberg|"
    r"Associated Press|Agence France-Presse|TASS|Interfax|Xinhua|EFE|ANSA|PA|CNN|BBC News)$"
)
ROLE_CREDITS = re.compile(r"^(?P<role>(?:additional )?reporting|editing|writing) by\s+", re.IGNORECASE)
UPDATED = re.compile(r"^(updated|last updated|modified)\b", re.IGNORECASE)
HEADER_LINES = 12
END_PUNCTUATION = tuple(".!?:;\"”’'»…)")


def parse(data: bytes, *, name: str, tz: tzinfo = UTC) -> Iterator[Item]:
    """Yield the one story of a scraped page; times without a zone are read in `tz`."""
    text = decode_text(data, name=name)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    yield _story(
        lines, name=name, tz=tz, digest=hashlib.sha256("\n".join(lines).strip().encode()).hexdigest()
    )


def _is_paragraph(line: str) -> bool:
    return len(line) > 120 or (len(line.split()) >= 16 and line.endswith(END_PUNCTUATION))


def _is_heading(line: str) -> bool:
    """A short line that is not a sentence; a short question ("Is Russia Controlling the Situation?") too."""
    if not 0 < len(line) <= 100 or line[0] in "\"“‘'«-–—•*":
        return False
    words = len(line.split())
    if line.endswith(("?", "!")):
        return words <= 10
    return words <= 14 and not line.endswith(END_PUNCTUATION)


def _story(lines: list[str], *, name: str, tz: tzinfo, digest: str) -> ArticleRecord:
    # No status of its own: the loader makes a new page a draft for an editor and keeps an editor's choice.
    record = ArticleRecord(source=SOURCE, external_id=digest, headline="", where=name)
    index = next(i for i, line in enumerate(lines) if line)  # decode_text refused blank files
    record.headline = lines[index]
    rest = lines[index + 1 :]
    end, seen = 0, 0  # the header ends at the first real paragraph, and never runs past a dozen lines
    while end < len(rest) and not _is_paragraph(rest[end]) and seen < HEADER_LINES:
        seen += bool(rest[end])
        end += 1
    header, rest = rest[:end], rest[end:]
    credit, caption, dek = "", "", []
    for line in header:
        if not line or FURNITURE.match(line):
            continue
        if CREDIT.match(line):
            credit = credit or line
            continue
        if not record.bylines and _byline(line, record):
            continue
        if UPDATED.match(line) and (when := parse_dateline(line, tz)):
            record.revised_at = when
            continue
        if record.published_at is None and (when := parse_dateline(line, tz)):
            record.published_at = when
            continue
        if (
            not record.section
            and _is_heading(line)
            and len(line.split()) <= 3
            and not any(c.isdigit() for c in line)
        ):
            record.section = line
            continue
        if credit and not caption:
            caption = line
            continue
        dek.append(line)
    if credit or caption:
        record.lead_photo = PhotoRecord(caption=caption, credit=credit)
    # One unclaimed header line is the standfirst; more of them were short paragraphs of the story.
    record.dek = dek[0] if len(dek) == 1 else ""
    record.body = _body((dek if len(dek) > 1 else []) + rest, record)
    if record.published_at is None:
        record.warnings.append("no date found in the page; published_at left empty")
    return record


def _byline(line: str, record: ArticleRecord) -> bool:
    match = BYLINE.match(line) or AGENCY_BYLINE.match(line)
    if not match:
        return False
    names = split_names(match["names"])
    if not names or any(len(n.split()) > 5 for n in names):
        return False
    record.bylines = [BylineRecord(name=n) for n in names]
    return True


def _body(lines: list[str], record: ArticleRecord) -> str:
    blocks: list[str] = []
    for line in lines:
        if not line or FURNITURE.match(line):
            continue
        if CREDIT.match(line):
            if record.lead_photo is None:
                record.lead_photo = PhotoRecord(credit=line)
            continue
        if ROLE_CREDITS.match(line) and len(line) < 200:
            _role_credits(line, record)
            continue
        tag = "h2" if _is_heading(line) else "p"
        blocks.append(f"<{tag}>{escape(line, quote=False)}</{tag}>")
    return "\n".join(blocks)


def _role_credits(line: str, record: ArticleRecord) -> None:
    """Reuters-style end credits: "Reporting by A and B; Editing by C"."""
    known = {b.name.casefold() for b in record.bylines}
    for part in line.split(";"):
        match = ROLE_CREDITS.match(part.strip())
        if not match:
            continue
        role = match["role"].capitalize() + " by"
        for name in split_names(part.strip()[match.end() :]):
            if name.casefold() not in known:
                known.add(name.casefold())
                record.bylines.append(BylineRecord(name=name, role=role))
