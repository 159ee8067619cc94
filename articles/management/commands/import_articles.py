"""Bring stories in from scraped pages, WordPress exports, ninjs, our JSON Lines and feeds, repeatably.

The work happens in articles.importers (parsers, the loader, the run); this command parses arguments,
shows progress and prints one summary line.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.freshness import batch
from articles.importers.load import Loader, Outcome
from articles.importers.records import Recovered
from articles.importers.run import Run, expand, fewer_checkpoints, saved_sites
from articles.importers.sniff import FORMATS
from articles.models import Section

PLAIN_PROGRESS_EVERY = 1000  # stories between progress lines when not on a terminal
BAR_MEDIA_EVERY = 20  # stories between updates of the bar's photo counts
# What the loader's `stats` counts, and how the progress display names it.
MEDIA_COUNTS = (
    ("photos_added", "photos added"),
    ("photos_reused", "photos reused"),
    ("renditions_queued", "renditions queued"),
)


class Command(BaseCommand):
    help = (
        "Import stories from files, folders or - (standard input); idempotent (source + external id). "
        "Exit status 0 when all imported or unchanged, 1 when some failed, 2 when nothing could be read."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="SOURCE", help="A file, a folder, or - for stdin.")
        parser.add_argument("--format", default="auto", choices=("auto", *FORMATS))
        parser.add_argument(
            "--status",
            choices=("draft", "published"),
            help="Override the source's own status for every story.",
        )
        parser.add_argument("--section", metavar="SLUG", help="Put every story in this (existing) section.")
        parser.add_argument(
            "--update", action="store_true", help="Update stories that changed at the source."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and validate everything, write nothing."
        )
        parser.add_argument(
            "--report", metavar="FILE.json", help="Write one JSON entry per story to this file."
        )
        parser.add_argument(
            "--media-dir", metavar="DIR", help="Where image files (featured images) are found."
        )

    def handle(self, *args, sources, format, status, section, update, dry_run, report, media_dir, **options):
        self.verbosity = options["verbosity"]
        target = None
        if section:
            target = Section.objects.filter(slug=section).first()
            if target is None:
                slugs = ", ".join(Section.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(
                    f"--section: no section with slug {section!r} (existing: {slugs})", returncode=2
                )
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(f"--media-dir: {media_dir} is not a folder", returncode=2)
        for source in sources:
            if source != "-" and not Path(source).exists():
                raise CommandError(f"{source}: no such file or folder", returncode=2)
        loader = Loader(status=status, section=target, update=update, dry_run=dry_run, media_dir=media_dir)
        self.loader = loader
        report_file = open(report, "w", encoding="utf-8") if report else None  # noqa: SIM115
        raw_err = getattr(self.stderr, "_out", self.stderr)  # tqdm needs the real stream, not OutputWrapper
        self.bar = tqdm(unit=" stories", file=raw_err, disable=None)
        self.started, self.seen = time.monotonic(), 0
        run = Run(
            loader,
            fmt=format,
            stdin=options.get("stdin"),
            on_outcome=self.show,
            on_recovered=self.recovered,
            report=report_file,
            sites=saved_sites(list(sources)),
        )
        interrupted = True  # until every source was read: the report must not say exit status 0 after a crash
        try:
            with batch(), fewer_checkpoints():
                for path in expand(list(sources)):
                    run.source(path)
                run.flush()
            interrupted = False
        finally:
            if not self.bar.disable and (media := self.media()):
                self.bar.set_postfix_str(media, refresh=False)
            self.bar.close()
            exit_status = run.finish(interrupted=interrupted)
            if report_file:
                report_file.close()
        if run.site_files_skipped and self.verbosity >= 1:
            self.stdout.write(
                f"{run.site_files_skipped} files of saved sites left out: not HTML pages "
                "(styles, scripts, images, feeds, API answers)"
            )
        if media := self.media():  # above the summary, which stays the last line
            self.stdout.write(media)
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(prefix + run.summary())
        if exit_status == 2:
            raise CommandError("nothing could be read", returncode=2)
        if exit_status == 1:
            raise CommandError(
                f"{run.counts['failed']} failed (the rest kept); see the errors above", returncode=1
            )

    def recovered(self, note: Recovered) -> None:
        """A malformed source read the way a lenient reader would: said once, on its own line."""
        self._line("recovered", f"{note.where}: {note.message}")

    def _line(self, kind: str, line: str) -> None:
        message = f"{kind}: {line}"
        if self.bar.disable:
            (self.stderr if kind == "ERROR" else self.stdout).write(message)
        else:
            self.bar.write(message, file=self.bar.fp)

    def show(self, outcome: Outcome) -> None:
        """Print errors and warnings, one line each, and keep the progress display moving."""
        lines = []
        if outcome.error:
            where = "" if outcome.error.startswith(outcome.where) else f"{outcome.where}: "
            lines.append(("ERROR", where + outcome.error))
        if self.verbosity >= 1 and outcome.result != "skipped":
            lines += [("warning", f"{outcome.where}: {w}") for w in outcome.warnings]
        if self.verbosity >= 2:
            lines.append((outcome.result, f"{outcome.where}: {outcome.url()}"))
        for kind, line in lines:
            self._line(kind, line)
        self.seen += 1
        if not self.bar.disable:
            if self.seen % BAR_MEDIA_EVERY == 1 and (media := self.media()):
                self.bar.set_postfix_str(media, refresh=False)
            self.bar.update(1)
        elif self.verbosity >= 1 and self.seen % PLAIN_PROGRESS_EVERY == 0:
            rate = self.seen / max(time.monotonic() - self.started, 1e-9)
            media = self.media()
            self.stdout.write(
                f"... {self.seen} stories read ({rate:.0f}/s)" + (f", {media}" if media else "")
            )

    def media(self) -> str:
        """ "photos added 12, photos reused 3, renditions queued 12": the loader's `stats`, those not 0."""
        parts = [(label, self.loader.stats.get(key, 0)) for key, label in MEDIA_COUNTS]
        return ", ".join(f"{label} {count}" for label, count in parts if count)
