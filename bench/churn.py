"""A working newsroom for `make bench`'s churn step: a writer saves a draft every second, an editor updates
an old published story every five, until stopped (SIGTERM). Prints how many saves of each it made.

Run with the bench server's environment (its database and Redis), so the saves reach the server's caches
exactly as an editor's in the admin would: through the models' save() and their signals.
"""

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from articles.models import Article, Section  # noqa: E402

DRAFT_EVERY, EDIT_EVERY = 1.0, 5.0


def main() -> None:
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    draft = Article.objects.filter(status=Article.Status.DRAFT).first() or Article.objects.create(
        headline="A draft in progress", section=Section.objects.first(), status=Article.Status.DRAFT
    )
    # An old story: far down every list, its card on no front page.
    old = Article.objects.published().latest()[1000:1001].get()
    drafts = edits = 0
    started = time.monotonic()
    print("saving", flush=True)  # bench/run.py starts measuring now, not while Django is still starting
    while not stopping:
        draft.body = f"<p>Draft, take {drafts}.</p>"
        draft.save()
        drafts += 1
        if time.monotonic() - started >= (edits + 1) * EDIT_EVERY:
            old.dek = f"Updated, take {edits}."
            old.save()
            edits += 1
        time.sleep(DRAFT_EVERY)
    print(f"{drafts} draft saves, {edits} edits of a published story", flush=True)


if __name__ == "__main__":
    main()
