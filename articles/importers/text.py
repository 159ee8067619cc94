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
from articles.importers.names import split_bylines, split_names
from articles.importers.records import ArticleRecord, BylineRecord, Item, PhotoRecord

SOURCE = "text"

SOCIAL = (
    r"(?:tweet|facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|e-?mail|messenger|flipboard)"
)
FURNITURE = re.compile(
    r"^(trending( now)?|share( this| the)?( article| story| page| post| on \w+| via \w+| to \w+)?|"
    r"share (on|via|to) .*|copy( the)? link( to clipboard)?|link copied.*|copied!?|"
    r"(save|bookmark)( (this )?(article|story))?|gift (this )?article|"
    r"advertisement|advert|sponsored( content)?|"
    r"read more\b.*|related( articles| stories| content)?|most (read|popular)|more from .*|"
    r"sign up.*newsletter.*|follow us.*|subscribe.*|comments?( \(\d+\)| \d+)?|\d+ comments?|"
    r"print( this page)?|"
    rf"email|{SOCIAL}(\s*[,|/·•]?\s*{SOCIAL})*|"
    r"skip to (main )?content|click here.*|listen|listen to this article.*|\d+ min(ute)?s? read)[.!:]?$",
    re.IGNORECASE,
)
_CREDIT_WORDS = r"(?:photo|image|photograph|picture|foto|bild|credit|illustration|graphic|video)s?"
# "Photo: X", "Photo by X", "Foto: X", "(Photo: X / Agency)", "Image: X", "Credit: X", "Photograph: X/Getty"
CREDIT = re.compile(
    rf"^\(?{_CREDIT_WORDS}\s*(?:(?:by|credit)\b\s*[:/|]?|[:/|©])\s*\S",
    re.IGNORECASE,
)
# a caption with its credit at the end: "Wives at the Kremlin wall. (Photo: X / Agency)"
CAPTION_AND_CREDIT = re.compile(
    rf"^(?P<caption>.*\S)\s*\((?P<credit>{_CREDIT_WORDS}\s*(?:(?:by|credit)\b\s*[:/|]?|[:/|©])[^)]+)\)$",
    re.IGNORECASE,
)
MAX_CAPTION = 300
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
    previous = ""  # the line just above (blank if a blank line came between)
    for line in header:
        line_above, previous = previous, line
        if not line or FURNITURE.match(line):
            continue
        if both := CAPTION_AND_CREDIT.match(line):
            caption, credit = caption or both["caption"], credit or both["credit"]
            continue
        if CREDIT.match(line):
            if not credit and not caption and dek and dek[-1] == line_above and _is_caption(line_above):
                caption = dek.pop()  # the caption stood just above its credit
            credit = credit or _credit(line)
            continue
        if not record.bylines and _byline(line, record):
            continue
        if _dates(line, record, tz):
            continue
        if (
            not record.section
            and not dek  # after the first line of text a short line is a sub-heading, not a section label
            and _is_heading(line)
            and len(line.split()) <= 3
            and not any(c.isdigit() for c in line)
        ):
            record.section = line
            continue
        if credit and not caption and _is_caption(line):
            caption = line
            continue
        dek.append(line)
    if credit or caption:
        record.lead_photo = PhotoRecord(caption=caption, credit=credit)
    # One unclaimed header line is the standfirst; more of them were short paragraphs of the story.
    record.dek = dek[0] if len(dek) == 1 else ""
    record.body = _body((dek if len(dek) > 1 else []) + rest, record, tz)
    if record.published_at is None:
        record.warnings.append("no date found in the page; published_at left empty")
    return record


_UPDATED_INSIDE = re.compile(
    r"[,;|·•–—-]?\s*\b(?:last\s+)?(?:updated|modified)\b\s*(?:on|at)?:?", re.IGNORECASE
)


def _dates(line: str, record: ArticleRecord, tz: tzinfo) -> bool:
    """Read a dateline ("Jan.07 - 2024 12:58 PM CET", "Updated 2232 GMT (0632 HKT) January 7, 2024",
    "Published 7 January 2024, updated 8 January 2024 09:10 GMT"); whether the line was one."""
    if len(line) > 160:
        return False
    parts = _UPDATED_INSIDE.split(line, maxsplit=1)
    published = parse_dateline(parts[0], tz) if parts[0].strip(" ,;:") else None
    updated = parse_dateline(parts[1], tz) if len(parts) > 1 else None
    if published is None and updated is None:
        return False
    if published is not None and record.published_at is None:
        record.published_at = published
    elif published is not None and updated is None and len(parts) == 1:
        return False  # a second date line with no "updated": a sentence with a date, not a dateline
    if updated is not None:
        record.revised_at = updated
    return True


def _is_caption(line: str) -> bool:
    return 0 < len(line) <= MAX_CAPTION and not CREDIT.match(line) and not FURNITURE.match(line)


def _credit(line: str) -> str:
    """ "(Photo: X / Agency)" as "Photo: X / Agency"."""
    line = line.strip()
    return line[1:-1].strip() if line.startswith("(") and line.endswith(")") else line


def _byline(line: str, record: ArticleRecord) -> bool:
    match = BYLINE.match(line) or AGENCY_BYLINE.match(line)
    if not match:
        return False
    bylines = split_bylines(match["names"])
    if not bylines or any(len(n.split()) > 5 for n, _ in bylines):
        return False
    record.bylines = [BylineRecord(name=n, affiliation=a) for n, a in bylines]
    return True


def _figure(caption: str, credit: str) -> str:
    parts = [escape(caption, quote=False)] if caption else []
    if credit:
        parts.append(f"<cite>{escape(credit, quote=False)}</cite>")
    return f"<figure><figcaption>{' '.join(parts)}</figcaption></figure>"


def _body(lines: list[str], record: ArticleRecord, tz: tzinfo = UTC) -> str:
    """Paragraphs and sub-headings; a photo's caption and credit stay where they stood (the first one is
    the lead photo's when the header had none)."""
    blocks: list[str] = []
    spaced = "" in lines  # blocks are parted by blank lines: a caption sits right next to its credit
    taken_next = False
    for number, line in enumerate(lines):
        if taken_next:
            taken_next = False
            continue
        if not line or FURNITURE.match(line):
            continue
        caption, credit = "", ""
        if both := CAPTION_AND_CREDIT.match(line):
            caption, credit = both["caption"], both["credit"]
        elif CREDIT.match(line):
            credit = _credit(line)
            above = lines[number - 1] if number else ""
            below = lines[number + 1] if number + 1 < len(lines) else ""
            if spaced and above and blocks and blocks[-1] == _block(above) and _is_caption(above):
                caption = above
                blocks.pop()
            elif spaced and below and _is_caption(below) and not _is_paragraph(below):
                caption, taken_next = below, True
        if credit:
            if record.lead_photo is None:
                record.lead_photo = PhotoRecord(caption=caption, credit=credit)
            else:
                blocks.append(_figure(caption, credit))
            continue
        if UPDATED.match(line) and _dates(line, record, tz):
            continue
        if ROLE_CREDITS.match(line) and len(line) < 200:
            _role_credits(line, record)
            continue
        blocks.append(_block(line))
    return "\n".join(blocks)


def _block(line: str) -> str:
    tag = "h2" if _is_heading(line) else "p"
    return f"<{tag}>{escape(line, quote=False)}</{tag}>"


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
