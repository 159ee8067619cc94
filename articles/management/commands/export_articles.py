"""Write stories out as JSON Lines (import_articles reads it back) or ninjs, for moving house or partners."""

from django.core.management.base import BaseCommand, CommandError

from articles.importers.export import export


class Command(BaseCommand):
    help = "Export published stories (or --all) as JSON Lines (our schema, re-importable) or ninjs 3.0."

    def add_arguments(self, parser):
        parser.add_argument("--format", default="jsonl", choices=("jsonl", "ninjs"))
        parser.add_argument("--output", metavar="FILE", help="Write here instead of standard output.")
        parser.add_argument(
            "--all",
            action="store_true",
            help="Drafts and scheduled stories too, not embargoed ones (jsonl only).",
        )
        parser.add_argument(
            "--embargoed",
            action="store_true",
            help="With --all: embargoed stories too. The file has no embargo: importing it publishes them.",
        )
        parser.add_argument(
            "--base-url", default="http://localhost", help="Site address for the absolute URLs ninjs needs."
        )

    def handle(self, *args, format, output, all, embargoed, base_url, **options):
        if embargoed and not (all and format == "jsonl"):
            raise CommandError(
                "--embargoed needs --all and --format jsonl: published stories are never embargoed."
            )
        if output:
            with open(output, "w", encoding="utf-8") as out:
                count = export(out, fmt=format, everything=all, embargoed=embargoed, base_url=base_url)
            self.stderr.write(f"exported {count} stories to {output}")
        else:
            count = export(self.stdout, fmt=format, everything=all, embargoed=embargoed, base_url=base_url)
            self.stderr.write(f"exported {count} stories")
