"""POST data for the admin's story form, as a browser would send it."""


def article_form(section, authors=(), tags=(), *, article=None, corrections=(), **overrides):
    """The add/change form's fields; `article` fills in the current version and existing bylines."""
    data = {
        "lock_version": str(article.version) if article else "",
        "headline": "Harbour bridge vote",
        "slug": "harbour-bridge-vote",
        "dek": "The council decides tonight.",
        "body": "<p>Text.</p><h2>Sub</h2>",  # a pasted script is refused with a message: tests/test_body.py
        "section": section.pk,
        "dateline_place": "Hamburg",
        "tags": [t.pk for t in tags],
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "embargo_until_0": "",
        "embargo_until_1": "",
        "seo_title": "",
        "seo_description": "",
        "lead_photo": "",
    }
    existing = list(article.bylines.all()) if article else []
    data.update(
        {
            "bylines-TOTAL_FORMS": str(len(existing) + len(authors)),
            "bylines-INITIAL_FORMS": str(len(existing)),
            "bylines-MIN_NUM_FORMS": "0",
            "bylines-MAX_NUM_FORMS": "1000",
        }
    )
    for i, byline in enumerate(existing):
        data.update(
            {
                f"bylines-{i}-id": byline.pk,
                f"bylines-{i}-article": article.pk,
                f"bylines-{i}-position": str(byline.position),
                f"bylines-{i}-author": byline.author_id,
                f"bylines-{i}-role": byline.role,
            }
        )
    for j, author in enumerate(authors, start=len(existing)):
        data.update(
            {f"bylines-{j}-position": str(j), f"bylines-{j}-author": author.pk, f"bylines-{j}-role": ""}
        )
    data.update(
        {
            "corrections-TOTAL_FORMS": str(len(corrections)),
            "corrections-INITIAL_FORMS": "0",
            "corrections-MIN_NUM_FORMS": "0",
            "corrections-MAX_NUM_FORMS": "1000",
        }
    )
    for k, (kind, note, date, time) in enumerate(corrections):
        data.update(
            {
                f"corrections-{k}-kind": kind,
                f"corrections-{k}-note": note,
                f"corrections-{k}-created_at_0": date,
                f"corrections-{k}-created_at_1": time,
            }
        )
    data.update(overrides)
    return data
