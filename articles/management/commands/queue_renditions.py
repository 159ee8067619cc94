"""Queue renditions for every photo whose copies are missing or stale.

After upgrading (photos from before focal points have no crops), or when a worker was stopped in the middle
of a task, this puts those photos back in the queue; `make run` calls it before starting the worker.
"""

from django.core.management.base import BaseCommand

from articles.models import Photo
from articles.tasks import queue_renditions


class Command(BaseCommand):
    help = "Queue renditions for photos whose copies are missing or made from another file or focal point."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")

    def handle(self, *args, dry_run=False, **options):
        photos = Photo.objects.exclude(image="").only("pk", "image", "focal_x", "focal_y", "renditions_for")
        stale = [photo for photo in photos.iterator() if photo.renditions_for != photo.rendition_source()]
        if not dry_run:
            for photo in stale:
                queue_renditions(photo)
        verb = "would queue" if dry_run else "queued"
        self.stdout.write(f"Renditions {verb} for {len(stale)} photo{'s' if len(stale) != 1 else ''}.")
