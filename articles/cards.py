"""Story cards: each rendered once per content version in a worker, its story loaded only then.

A story's card is the same HTML on its section, its tags, its authors and the home page, and building the
objects and rendering the template is most of what a list page costs. Lists therefore fetch only story ids
(a narrow query an index answers), take the cards this worker has already rendered for the current content
version, and load and render the rest in one query (plus one for their bylines). Any save moves the version
on, so a card never outlives the content it shows. Staff (with a session) get every card rendered afresh.
Each card is kept with its surrogate keys, which it adds to the page's whenever it is used.
"""

from django.template.loader import get_template

from articles import caching, surrogates
from articles.models import Article, Photo


def render(request, wanted: list[tuple[int, dict]]) -> list[str | None]:
    """The cards for `wanted` (story id, options of includes/card.html) in order; None for a story gone."""
    fresh = caching.is_staff_request(request)
    keys = [("card", pk, *sorted(options.items())) for pk, options in wanted]
    done = [None if fresh else caching.recall(key) for key in keys]  # (html, its surrogate keys) each
    missing = {pk for (pk, _), card in zip(wanted, done, strict=True) if card is None}
    if missing:
        stories = Article.objects.published().with_cards().defer("body").in_bulk(missing)
        # A front may show another picture than the story's (option photo_id): one query for them all.
        wanted_photos = {o.get("photo_id") for (_, o), card in zip(wanted, done, strict=True) if not card} - {
            None
        }
        photos = Photo.objects.in_bulk(wanted_photos) if wanted_photos else {}
        template = get_template("includes/card.html")
        for i, ((pk, options), key) in enumerate(zip(wanted, keys, strict=True)):
            if done[i] is None and pk in stories:
                story = stories[pk]
                context = {"story": story, **options}
                card_keys = surrogates.story_keys(story)
                if options.get("photo_id") in photos:
                    context["photo"] = photos[options["photo_id"]]
                    card_keys.add(f"p{options['photo_id']}")
                done[i] = (template.render(context), frozenset(card_keys))
                if not fresh:
                    caching.keep(key, done[i])
    for card in done:
        if card is not None:
            surrogates.add(*card[1])
    return [card and card[0] for card in done]
