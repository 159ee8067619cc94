"""Delete old Trending Now counters; run daily from cron or a scheduler."""

from django.core.management.base import BaseCommand

from articles import trending


class Command(BaseCommand):
    help = "Delete hourly view counters older than --keep-hours (default 8 days)."

    def add_arguments(self, parser):
        parser.add_argument("--keep-hours", type=int, default=24 * 8)

    def handle(self, *args, keep_hours, **options):
        deleted = trending.prune(keep_hours)
        self.stdout.write(f"Deleted {deleted} old view counters.")
