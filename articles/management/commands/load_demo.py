"""Load the demo newsroom so a fresh `make run` shows a living site."""

from django.core.management.base import BaseCommand

from articles import demo


class Command(BaseCommand):
    help = "Load demo sections, authors, stories, photos and views; a second run adds only what is missing."

    def handle(self, *args, **options):
        created = demo.load()
        if not any(created.values()):
            self.stdout.write("Demo content is already loaded.")
            return
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded demo content: {summary}."))
