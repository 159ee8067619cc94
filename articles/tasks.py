"""Background work through Django's tasks framework: a photo's renditions, made once per file and focal point.

The backend is settings.TASKS: django-tasks-db's database queue by default (`manage.py db_worker` runs it;
`make run` starts one), the immediate backend in tests. See docs/photos.md.
"""

import logging

from django.db import transaction
from django.tasks import task

from articles import photos
from articles.models import Photo

logger = logging.getLogger(__name__)


def queue_renditions(photo: Photo) -> None:
    """Ask for the photo's renditions; called by Photo.save inside its transaction.

    With the database backend the task row commits or rolls back with the photo, so a worker never sees a
    task for a photo that is not there.
    """
    make_renditions.enqueue(photo.pk)


@task
def make_renditions(photo_id: int) -> int:
    """Make the photo's renditions unless they exist for its file and focal point; return how many copies."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or not photo.image:
        return 0
    wanted = photo.rendition_source()
    if photo.renditions_for == wanted:
        return 0  # made already: a second task for the same photo costs one query
    made = photos.make_renditions(photo.image, photo.focal_point)  # slow: outside any transaction
    with transaction.atomic():
        current = Photo.objects.select_for_update().filter(pk=photo_id).first()
        if current is None or current.rendition_source() != wanted:
            # deleted, or a new file or focal point arrived meanwhile: its own task makes its copies
            photos.delete_renditions(made)
            return 0
        old = current.renditions
        current.renditions, current.renditions_for = made, wanted
        current.save(update_fields=["renditions", "renditions_for"])  # a save: cached pages refresh
    transaction.on_commit(lambda: photos.delete_renditions(old))
    return len(made)
