"""One import run over many sources: find files, sniff formats, parse, load, count, report.

The import_articles command only parses arguments and prints; this module does the work so tests and
scripts can call it directly.
"""

import io
import json
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from articles.importers import feed, jsonl, ninjs, text, wxr
from articles.importers.load import Loader, Outcome
from articles.importers.records import ArticleRecord, BadItem, Item, Recovered, SourceError
from articles.importers.sniff import sniff

RESULTS = ("imported", "updated", "unchanged", "skipped", "failed")
CHUNK = 200  # stories looked up together and committed together; each is written in its own savepoint


def parse(fmt: str, stream: BinaryIO, name: str) -> Iterator[Item]:
    """The items of one source in format `fmt`."""
    tz = ZoneInfo(settings.TIME_ZONE)
    if fmt == "wxr":
        return wxr.parse(stream, name=name, tz=tz)
    if fmt == "jsonl":
        return jsonl.parse(stream, name=name)
    data = stream.read()
    if fmt == "text":
        return text.parse(data, name=name, tz=tz)
    if fmt == "ninjs":
        return ninjs.parse(data, name=name)
    if fmt == "html":
        # trafilatura takes half a second to import: only runs that read pages pay for it
        from articles.importers import html_pages

        return html_pages.parse(data, name=name, tz=tz)
    return feed.parse(data, name=name)


def _guarded(items: Iterator[Item], name: str) -> Iterator[Item]:
    """`items`, with a parser's unforeseen error turned into a SourceError that names the file.

    What was read before is still loaded and the other sources go on; the report says where reading stopped.
    """
    read = 0
    try:
        for item in items:
            read += 1
            yield item
    except SourceError:
        raise
    except (ValueError, TypeError, LookupError, AttributeError, RecursionError) as error:
        message = " ".join(str(error).split()) or type(error).__name__
        raise SourceError(f"{name}: reading stopped after item {read}: {message}") from error


@contextmanager
def fewer_checkpoints(pages: int = 20_000) -> Iterator[None]:
    """On SQLite, fold the WAL into the database every `pages` pages instead of every 1,000 for the run.

    Each chunk of stories is its own durable transaction; checkpoints (and their fsync) are what a long import
    waits on: ~15% of its time at the default.
    """
    before = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            if cursor.fetchone()[0] == "wal":  # not the tests' in-memory database
                cursor.execute("PRAGMA wal_autocheckpoint")
                (before,) = cursor.fetchone()
                cursor.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")
    if before is None:
        yield
        return
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(before)}")
            if not connection.in_atomic_block:  # SQLite refuses a checkpoint inside a write transaction
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def expand(sources: list[str]) -> Iterator[str]:
    """Files named, files under folders named (recursively, sorted, hidden ones left out), or "-"."""
    for source in sources:
        path = Path(source)
        if source != "-" and path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and not any(
                    part.startswith(".") for part in found.relative_to(path).parts
                ):
                    yield str(found)
        else:
            yield source


def saved_sites(sources: list[str]) -> list[Path]:
    """The folders named that hold a saved site (any .html or .htm file in them): only its pages are read."""
    sites = []
    for source in sources:
        path = Path(source)
        if source != "-" and path.is_dir():
            if any(found.suffix.lower() in (".html", ".htm") for found in path.rglob("*.htm*")):
                sites.append(path.resolve())
    return sites


class Run:
    def __init__(
        self,
        loader: Loader,
        *,
        fmt: str = "auto",
        stdin: BinaryIO | None = None,
        on_outcome: Callable[[Outcome], None] = lambda outcome: None,
        on_recovered: Callable[[Recovered], None] = lambda recovered: None,
        report: io.TextIOBase | None = None,
        sites: list[Path] = (),
    ) -> None:
        self.loader = loader
        self.fmt = fmt
        self.stdin = stdin
        self.on_outcome = on_outcome
        self.on_recovered = on_recovered
        self.sites = list(sites)
        self.site_files_skipped = 0  # styles, images, feeds and API answers saved beside a site's pages
        self.recovered: list[Recovered] = []
        # (source, external id) -> (fingerprint, where) of each story read from the current file: two
        # different stories under one id in one file (a post id used twice) are a conflict, not "unchanged".
        # Across files the same id is the same story again, perhaps a later version (--update takes it).
        self._seen: dict[tuple[str, str], tuple[int, str]] = {}
        self._chunk: list[Item] = []
        self.report = report
        self.counts: Counter[str] = Counter()
        self.sources_read = 0
        self.sources_unreadable = 0
        self._first_entry = True
        if report is not None:
            report.write('{"stories": [\n')

    def source(self, source: str) -> None:
        """Import every item of one file (or of standard input for "-")."""
        name = "<stdin>" if source == "-" else source
        try:
            stream = self._open(source)
        except OSError as error:
            self._unreadable(name, f"cannot read: {error.strerror or error}")
            return
        with stream:
            head = stream.read(65536)
            stream.seek(0)
            fmt = self.fmt if self.fmt != "auto" else sniff(head, name)
            if fmt != "html" and self._in_site(source):
                self.site_files_skipped += 1
                return
            if fmt is None:
                self._unreadable(
                    name, "unknown format (not WXR, ninjs, JSON Lines, RSS/Atom, an HTML page or plain text)"
                )
                return
            read = 0
            self._seen = {}
            try:
                for item in _guarded(parse(fmt, stream, name), name):
                    if isinstance(item, Recovered):
                        self.recovered.append(item)
                        self.on_recovered(item)
                        continue
                    if isinstance(item, ArticleRecord):
                        item = self._conflict(item) or item
                    self._chunk.append(item)
                    read += 1
                    if len(self._chunk) >= CHUNK:
                        self.flush()
            except SourceError as error:
                self.flush()
                if read:
                    self._record(Outcome("failed", name, error=str(error)))
                else:
                    self._unreadable(name, str(error).removeprefix(f"{name}: "))
                return
            self.sources_read += 1

    def flush(self) -> None:
        """Load what was read and not loaded yet. Files of one story each (saved pages, scraped text) are
        loaded a chunk at a time like the stories of one big file: a look-up per chunk, not per page."""
        chunk, self._chunk = self._chunk, []
        self._load(chunk)

    def _in_site(self, source: str) -> bool:
        if not self.sites or source == "-":
            return False
        path = Path(source).resolve()
        return any(path.is_relative_to(site) for site in self.sites)

    def _conflict(self, record: ArticleRecord) -> BadItem | None:
        """A BadItem when another, different story came under the same key earlier in this run."""
        if not record.external_id:
            return None
        key = (record.source, record.external_id)
        fingerprint = hash((record.headline, record.body, record.dek, record.published_at, record.slug))
        first = self._seen.setdefault(key, (fingerprint, record.where))
        if first[0] == fingerprint:  # the first, or the same story listed twice: the loader says "unchanged"
            return None
        return BadItem(
            record.where,
            f"conflict: id {record.external_id} was already used by {first[1]} for a different story; "
            "this one was not imported (the first is kept)",
            record.external_id,
        )

    def _load(self, chunk: list[Item]) -> None:
        for outcome in self.loader.load_chunk(chunk):
            self._record(outcome)

    def _open(self, source: str) -> BinaryIO:
        if source != "-":
            return open(source, "rb")  # noqa: SIM115 (closed by the caller's with-block)
        spool = tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024)  # WXR is read twice: needs seek()
        raw = self.stdin if self.stdin is not None else sys.stdin.buffer
        shutil.copyfileobj(raw, spool)
        spool.seek(0)
        return spool

    def _unreadable(self, name: str, message: str) -> None:
        self.flush()  # the stories read before stay ahead of this line in the report
        self.sources_unreadable += 1
        self._record(Outcome("failed", name, error=f"{name}: {message}"))

    def _record(self, outcome: Outcome) -> None:
        self.counts[outcome.result] += 1
        if self.report is not None:
            entry = json.dumps(outcome.entry(), ensure_ascii=False)
            self.report.write(("" if self._first_entry else ",\n") + entry)
            self._first_entry = False
        self.on_outcome(outcome)

    def summary(self) -> str:
        return ", ".join(f"{result} {self.counts[result]}" for result in RESULTS)

    def finish(self, *, interrupted: bool = False) -> int:
        """Close the report and return the exit status: 0 all good, 1 some failed, 2 nothing could be read.

        `interrupted`: the run stopped on an error of its own, so not everything was read (status 1 at least).
        """
        if not interrupted:
            self.flush()  # normally done by the caller after its last source
        status = 0
        if self.counts["failed"] or interrupted:
            status = 1
        if self.sources_unreadable and not self.sources_read:
            status = 2
        if self.report is not None:
            totals = {result: self.counts[result] for result in RESULTS} | self.loader.stats
            ending = ', "interrupted": true' if interrupted else ""
            recovered = json.dumps([f"{r.where}: {r.message}" for r in self.recovered], ensure_ascii=False)
            summary = json.dumps(totals)
            self.report.write(
                f'\n], "summary": {summary}, "recovered": {recovered}{ending}, "exit_status": {status}}}\n'
            )
        return status
