"""Renditions in the background: the database queue really queues, a worker really makes them, pages use the
original until then, and the work is done once per photo."""

import io
from unittest.mock import patch

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from PIL import Image

from articles.models import Photo
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def jpeg(size=(1200, 800), colour="#557799"):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def run_worker() -> None:
    """What `manage.py db_worker --batch` does: every queued task, then return (no sleeping, no signals).

    Its close_old_connections() would close the test's connection, which is inside the test's transaction
    (on PostgreSQL; SQLite's in-memory test database is never closed): a worker process has its own.
    """
    with patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        _run_worker()


def _run_worker() -> None:
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_an_upload_answers_at_once_and_a_worker_makes_the_renditions(database_queue, staff_client, client):
    response = staff_client.post(
        reverse("admin:articles_photo_upload"), {"image": SimpleUploadedFile("harbour.jpg", jpeg())}
    )
    assert response.status_code == 201
    photo = Photo.objects.get()
    assert photo.renditions == [] and not photo.renditions_ready
    queued = DBTaskResult.objects.get()
    assert (queued.task_path, queued.args_kwargs["args"]) == ("articles.tasks.make_renditions", [photo.pk])
    # until the worker runs, pages show the original with its own width and height
    story = make_article("Harbour", lead_photo=photo)
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'<img src="{photo.image.url}" alt="" width="1200" height="800">' in html

    run_worker()

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    photo.refresh_from_db()
    assert photo.renditions_ready
    assert {r["ratio"] for r in photo.renditions} == {"", "16:9", "4:3", "1:1"}
    html = client.get(story.get_absolute_url()).content.decode()  # the save refreshed the cached page
    assert "srcset=" in html and "-800.webp 800w" in html


def test_a_second_task_for_the_same_photo_makes_nothing(database_queue):
    photo = Photo(image=SimpleUploadedFile("a.jpg", jpeg((600, 400))))
    photo.save()
    photo.caption = "A caption while the copies are still to be made"
    photo.save()  # queues again: the worker finds the copies made and stops after one query
    assert DBTaskResult.objects.count() == 2
    run_worker()
    made = Photo.objects.get().renditions
    assert made and sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [0, len(made)]


def test_a_worker_skips_a_photo_deleted_meanwhile(database_queue):
    photo = Photo(image=SimpleUploadedFile("gone.jpg", jpeg((500, 300))))
    photo.save()
    Photo.objects.filter(pk=photo.pk).delete()
    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_photo_row_rolled_back_takes_its_task_with_it(database_queue):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        Photo(image=SimpleUploadedFile("b.jpg", jpeg((500, 300)))).save()
        raise RuntimeError("the story's import failed")
    assert not DBTaskResult.objects.exists()


def test_a_text_edit_queues_nothing_once_renditions_exist(database_queue):
    photo = Photo(image=SimpleUploadedFile("c.jpg", jpeg((500, 300))))
    photo.save()
    run_worker()
    photo = Photo.objects.get()
    photo.caption = "New words"
    with CaptureQueriesContext(connection) as queries:
        photo.save()
    assert DBTaskResult.objects.count() == 1
    assert not any("django_tasks_db" in q["sql"] for q in queries.captured_queries)
