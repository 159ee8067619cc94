"""IPTC ninjs 1.x, 2.x and 3.x (and Superdesk's 1.x dialect, with `guid` for `uri`).

A file holds one object, an array of objects, or JSON Lines. Keys are read case-insensitively, so 3.x's
camelCase (versionCreated, pubStatus) and 1.x/2.x's lower case are the same to us.
"""

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html import escape
from typing import Any

from articles.importers.dates import parse_iso
from articles.importers.html import body_fragment, strip_tags, text_to_html
from articles.importers.names import normalize, split_bylines, split_names
from articles.importers.records import (
    MAX_JSON_DEPTH,
    ArticleRecord,
    BadItem,
    BylineRecord,
    Item,
    PhotoRecord,
    Skipped,
    SourceError,
    too_deep,
)

SOURCE = "ninjs"
STORY_TYPES = {"text", "composite"}
HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xhtml")
CREDITED = ("author", "creator", "byline", "contributor")
FEATURE_NAMES = ("featuremedia", "featureimage", "featured", "mainpic", "main", "picture", "photo", "image")


def parse(data: bytes, *, name: str) -> Iterator[Item]:
    """Yield the stories of a ninjs file: one object, an array, or one object per line."""
    text = _decode(data, name)
    try:
        document = json.loads(text)
    except RecursionError:
        raise SourceError(f"{name}: JSON nested more than {MAX_JSON_DEPTH} levels deep") from None
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            raise SourceError(
                f"{name}: invalid JSON at line {error.lineno} column {error.colno}: {error.msg}"
            ) from None
        yield from _lines(text, name)
        return
    if isinstance(document, list):
        for index, obj in enumerate(document):
            yield item(obj, f"{name}: item {index}")
    else:
        yield item(document, name)


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise SourceError(f"{name}: empty file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(f"{name}: not UTF-8 (JSON must be UTF-8) at byte {error.start}") from None


def _lines(text: str, name: str) -> Iterator[Item]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}: line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            yield BadItem(where, f"invalid JSON at column {error.colno}: {error.msg}")
            continue
        except RecursionError:
            yield BadItem(where, f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
            continue
        yield item(obj, where)


def _lower(obj: dict) -> dict:
    return {str(key).lower(): value for key, value in obj.items()}


def _first_value(values: Any, *, prefer: tuple[str, ...] = ()) -> str:
    """The value of the preferred role in a 2.x/3.x list of {role, value}, or of the first one."""
    if isinstance(values, str):
        return values
    if not isinstance(values, list):
        return ""
    entries = [_lower(v) for v in values if isinstance(v, dict) and isinstance(v.get("value"), str)]
    for role in prefer:
        for entry in entries:
            if entry.get("role") == role:
                return entry["value"]
    return entries[0]["value"] if entries else ""


def _headline(obj: dict) -> str:
    headline = obj.get("headline") or _first_value(obj.get("headlines"), prefer=("main", "simple", "title"))
    if not headline:  # 1.5+ patternProperties: headline_main, headline_simple, ...
        headline = next(
            (v for k, v in sorted(obj.items()) if k.startswith("headline_") and isinstance(v, str)), ""
        )
    return " ".join(str(headline).split())


def _body(obj: dict) -> str:
    for key in ("body_html", "body_xhtml", "body_richtext"):
        if isinstance(obj.get(key), str) and obj[key].strip():
            return body_fragment(obj[key])
    bodies = [
        _lower(b) for b in obj.get("bodies") or [] if isinstance(b, dict) and isinstance(b.get("value"), str)
    ]
    for body in bodies:
        if str(body.get("contenttype", "")).startswith(HTML_TYPES) or body.get("role") in (
            "xhtml",
            "html",
            "richtext",
        ):
            return body_fragment(body["value"])
    for key in ("body_text", "body_main"):
        if isinstance(obj.get(key), str) and obj[key].strip():
            return text_to_html(obj[key])
    return text_to_html(bodies[0]["value"]) if bodies else ""


def _dek(obj: dict) -> str:
    for key in ("description_text", "description_html", "description_xhtml", "description_richtext"):
        if isinstance(obj.get(key), str):
            return strip_tags(obj[key])
    dek = _first_value(obj.get("descriptions"), prefer=("summary", "text", "abstract"))
    headlines = obj.get("headlines") if isinstance(obj.get("headlines"), list) else []
    sub = [
        h.get("value", "") for h in headlines if isinstance(h, dict) and h.get("role") in ("sub", "subtitle")
    ]
    return strip_tags(dek or (sub[0] if sub else ""))


def _date(obj: dict, key: str, record: ArticleRecord) -> datetime | None:
    value = obj.get(key)
    if not value:
        return None
    parsed = parse_iso(str(value), UTC)
    if parsed is None:
        record.warnings.append(f"{key} {value!r} is not a date-time; ignored")
    return parsed


def _roles(by: str) -> dict[str, str]:
    """Name -> role from a sentence byline: "Written by A and B. Photos by C" gives C the role "Photos by"."""
    roles: dict[str, str] = {}
    for sentence in re.split(r"\.\s+", by):
        match = re.match(r"^(.*?\bby)\s+(.+)$", sentence.strip().rstrip("."), re.IGNORECASE)
        if match:
            role = "" if match.group(1).lower() in ("by", "written by") else match.group(1)
            for name in split_names(match.group(2)):
                roles.setdefault(normalize(name), role)
    return roles


def _bylines(obj: dict) -> list[BylineRecord]:
    byline = obj.get("byline") or obj.get("by")
    byline = byline if isinstance(byline, str) else ""
    people = [_lower(p) for p in obj.get("people") or obj.get("person") or [] if isinstance(p, dict)]
    credited = [
        p for p in people if p.get("name") and str(p.get("rel", p.get("role", ""))).lower() in CREDITED
    ]
    if credited:  # structured names beat a free-text byline
        roles = _roles(byline)
        return [BylineRecord(name=p["name"], role=roles.get(normalize(p["name"]), "")) for p in credited]
    return [BylineRecord(name=n, affiliation=a) for n, a in split_bylines(byline)]


def _subjects(obj: dict, record: ArticleRecord) -> None:
    """Subjects become tags; one with rel "section" (as our own ninjs export writes) is the section."""
    for subject in obj.get("subjects") or obj.get("subject") or []:
        if not isinstance(subject, dict):
            continue
        subject = _lower(subject)
        name = " ".join(str(subject.get("name", "")).split())
        if not name:
            continue
        if subject.get("rel") == "section" and not record.section:
            record.section = name
        elif name.casefold() not in {t.casefold() for t in record.tags}:
            record.tags.append(name)
            if subject.get("literal"):
                record.tag_slugs[name] = str(subject["literal"])


def _associations(obj: dict) -> list[tuple[str, dict]]:
    found = obj.get("associations") or {}
    if isinstance(found, dict):  # 1.x: keyed by name
        return [(str(k), _lower(v)) for k, v in found.items() if isinstance(v, dict)]
    return [(str(_lower(v).get("name", "")), _lower(v)) for v in found if isinstance(v, dict)]


def _renditions(picture: dict) -> list[dict]:
    if isinstance(picture.get("renditions"), dict):  # 1.x/Superdesk: keyed by name
        return [_lower(r) for r in picture["renditions"].values() if isinstance(r, dict)]
    return [_lower(r) for r in picture.get("renditions") or [] if isinstance(r, dict)]


def _picture(name: str, picture: dict) -> PhotoRecord:
    renditions = _renditions(picture)
    largest = max(renditions, key=lambda r: (r.get("width") or 0) * (r.get("height") or 0), default={})
    return PhotoRecord(
        caption=_dek(picture) or _headline(picture),
        credit=" ".join(
            str(picture.get("byline") or picture.get("by") or picture.get("copyrightholder") or "").split()
        ),
        alt_text=strip_tags(str(picture.get("alt_text") or picture.get("body_text") or ""))[:300],
        url=str(largest.get("href") or picture.get("uri") or ""),
        source_id=str(picture.get("uri") or ""),
        label=f"association {name}" if name else "an association",
    )


def _photos(obj: dict, body: str) -> tuple[PhotoRecord | None, list[PhotoRecord]]:
    """The feature image (an association named like one, else the first picture) and the other pictures,
    each once (by uri), leaving out those the body already shows (by the address of a rendition)."""
    pictures = [(n, a) for n, a in _associations(obj) if a.get("type", "picture") in ("picture", "graphic")]
    if not pictures:
        return None, []
    by_name = {n.lower(): (n, a) for n, a in pictures}
    lead = next((by_name[n] for n in FEATURE_NAMES if n in by_name), pictures[0])
    seen = {str(lead[1].get("uri") or id(lead[1]))}
    others = []
    for name, picture in pictures:
        key = str(picture.get("uri") or id(picture))
        hrefs = [str(r.get("href") or "") for r in _renditions(picture)]
        if key in seen or any(href and (escape(href, quote=True) in body or href in body) for href in hrefs):
            continue
        seen.add(key)
        others.append(_picture(name, picture))
    return _picture(*lead), others


def _extra_pictures(record: ArticleRecord, others: list[PhotoRecord]) -> None:
    """Pictures beyond the lead at the end of the body: a photo, or a gallery of several (#14)."""
    if not others:
        return
    record.body_photos = {str(number): photo for number, photo in enumerate(others, start=1)}
    numbers = " ".join(record.body_photos)
    kind = "photo" if len(others) == 1 else "gallery"
    record.body = f'{record.body}\n<figure data-{kind}="{numbers}"></figure>'


def item(obj: Any, where: str) -> Item:
    """One ninjs object as a record; pictures, events and other non-stories are Skipped."""
    if not isinstance(obj, dict):
        return BadItem(where, f"expected a JSON object, got {type(obj).__name__}")
    if too_deep(obj):
        return BadItem(where, f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    obj = _lower(obj)
    uri = str(obj.get("uri") or obj.get("guid") or "").strip()
    kind = str(obj.get("type") or "").lower()
    if kind and kind not in STORY_TYPES:
        return Skipped(where, f"type {kind!r} is not a story", uri)
    if not kind and ("eventdetails" in obj or "planningdetails" in obj):
        return Skipped(where, "an event or planning item is not a story", uri)
    headline, body = _headline(obj), _body(obj)
    if not headline and not body:
        return Skipped(where, "no headline and no body", uri)
    if not uri:
        return BadItem(where, "no uri (or guid)")
    if not headline:
        return BadItem(where, "no headline", uri)
    record = ArticleRecord(
        source=SOURCE, external_id=uri, headline=headline, where=f"{where} ({uri})", body=body
    )
    record.dek = _dek(obj)
    record.bylines = _bylines(obj)
    _subjects(obj, record)
    record.lead_photo, others = _photos(obj, body)
    _extra_pictures(record, others)
    first = _date(obj, "firstcreated", record) or _date(obj, "contentcreated", record)
    version = _date(obj, "versioncreated", record)
    record.published_at = first or version
    if first and version and version > first:
        record.revised_at = version
    record.embargo_until = _date(obj, "embargoed", record)  # not public before then, whatever the status
    pubstatus = str(obj.get("pubstatus") or "usable").lower()
    record.status = "published" if pubstatus == "usable" else "draft"
    located = obj.get("located")
    record.dateline_place = located.strip()[:100] if isinstance(located, str) else ""
    service = obj.get("service")
    if isinstance(service, list) and service and isinstance(service[0], dict):
        record.section = str(service[0].get("name") or "")
    return record
