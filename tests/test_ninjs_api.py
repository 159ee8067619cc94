import json
from datetime import timedelta
from io import BytesIO

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles import ninjs
from articles.freshness import changes, clock
from articles.models import Article, Byline
from tests.conftest import DATA, make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((DATA / "ninjs-schema_3.0.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def validate(document):
    errors = sorted(VALIDATOR.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors)


def jpeg():
    buffer = BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "JPEG")
    return SimpleUploadedFile("harbour.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def story():
    news = make_section("News")
    anna, bo = make_author("Anna Berg"), make_author("Bo Li")
    photo = make_photo(image=jpeg(), caption="Boats.", credit="Photo: Reuters", alt_text="Boats in a harbour")
    article = make_article(
        "Harbour reopens",
        section=news,
        authors=[anna],
        tags=["Shipping", "Climate"],
        lead_photo=photo,
        dek="Ships return.",
        body="<p>Ships returned on Monday.</p>",
        dateline_place="Hamburg",
    )
    Byline.objects.create(article=article, author=bo, position=1, role="Photos by")
    return article


def test_the_official_schema_rejects_what_it_should():
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate({"uri": "http://x/1", "type": "article"})
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate({"uri": "http://x/1", "headline": "1.x names are not 3.0"})


def test_story_endpoint_returns_valid_ninjs_3(client, story):
    response = client.get(f"/api/ninjs/{story.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    validate(document)
    assert document["uri"] == f"http://testserver/api/ninjs/{story.pk}/"
    assert document["type"] == "text"
    assert document["standard"] == {"name": "ninjs", "version": "3.0", "schema": ninjs.SCHEMA}
    assert document["headlines"] == [
        {"role": "main", "value": "Harbour reopens"},
        {"role": "sub", "value": "Ships return."},
    ]
    assert document["bodies"][0]["value"] == "<p>Ships returned on Monday.</p>"
    assert document["bodies"][0]["contentType"] == "text/html"
    assert document["by"] == "Written by Anna Berg. Photos by Bo Li"
    assert document["people"] == [
        {"name": "Anna Berg", "rel": "author", "uri": "http://testserver/author/anna-berg/"},
        {"name": "Bo Li", "rel": "contributor", "uri": "http://testserver/author/bo-li/"},
    ]
    assert [s["name"] for s in document["subjects"]] == ["News", "Climate", "Shipping"]
    assert document["located"] == "Hamburg"
    assert document["renditions"] == [
        {"name": "web", "href": "http://testserver" + story.get_absolute_url(), "contentType": "text/html"}
    ]


def test_times_carry_their_offset(client, story):
    document = client.get(f"/api/ninjs/{story.pk}/").json()
    assert document["firstCreated"][-6:] in ("+01:00", "+02:00")
    assert document["versionCreated"] == document["firstCreated"]
    story.revised_at = story.published_at + timedelta(minutes=30)
    story.save()
    document = client.get(f"/api/ninjs/{story.pk}/").json()
    assert document["versionCreated"] > document["firstCreated"]


def test_lead_photo_is_an_association_with_its_credit_in_by(client, story):
    (photo,) = client.get(f"/api/ninjs/{story.pk}/").json()["associations"]
    assert photo["type"] == "picture"
    assert photo["by"] == "Photo: Reuters"
    assert photo["uri"].startswith("http://testserver/media/photos/") and photo["uri"].endswith(".jpg")
    assert photo["renditions"][0]["width"] == 64 and photo["renditions"][0]["contentType"] == "image/jpeg"
    assert {"role": "alternativeText", "value": "Boats in a harbour"} in photo["descriptions"]


def test_minimal_story_is_valid_too(client):
    article = make_article("Bare", dek="", body="")
    validate(client.get(f"/api/ninjs/{article.pk}/").json())


def test_unpublished_stories_are_404(client):
    draft = make_article("Draft", status="draft")
    scheduled = make_article("Later", ago=timedelta(hours=-1))
    for article in (draft, scheduled):
        response = client.get(f"/api/ninjs/{article.pk}/")
        assert response.status_code == 404
        assert response.json() == {"error": f"No published story with id {article.pk}."}
    assert client.get("/api/ninjs/").json()["count"] == 0


def test_list_is_paginated_newest_first_and_every_item_valid(client, settings):
    make_section("News")
    for i in range(25):
        make_article(f"Story {i}", ago=timedelta(hours=i + 1))
    make_article("Draft", status="draft")
    first = client.get("/api/ninjs/").json()
    assert first["count"] == 25 and first["pages"] == 2 and first["previous"] is None
    assert first["next"] == "http://testserver/api/ninjs/?page=2"
    assert [item["headlines"][0]["value"] for item in first["items"][:2]] == ["Story 0", "Story 1"]
    for item in first["items"]:
        validate(item)
    second = client.get("/api/ninjs/", {"page": 2}).json()
    assert len(second["items"]) == 5 and second["next"] is None
    assert second["previous"] == "http://testserver/api/ninjs/?page=1"


@pytest.mark.parametrize("page", ["3", "0", "abc", "-1"])
def test_bad_page_gets_a_clear_error(client, page):
    make_article("Only one")
    response = client.get("/api/ninjs/", {"page": page})
    assert response.status_code == 404
    assert response.json() == {"error": "page must be a whole number from 1 to 1."}


def test_article_page_links_its_ninjs_document(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    link = '<link rel="alternate" type="application/json" title="This story as IPTC ninjs 3.0" href="{}">'
    assert link.format(f"/api/ninjs/{story.pk}/") in html


def test_list_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    make_section("News")
    for i in range(12):
        make_article(f"Story {i}", authors=[make_author(f"A{i}")], tags=[f"t{i}"])
    changes.due(clock.time())  # the page cache's look-up after the saves is not the list's cost
    with django_assert_max_num_queries(4):  # count, stories, bylines with authors, tags
        assert client.get("/api/ninjs/").status_code == 200
    assert Article.objects.count() == 12
