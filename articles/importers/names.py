"""Split free-text bylines ("By A, B and C in Kyiv", "A (now), B and C (earlier)") into author names."""

import re

_PARENS = re.compile(r"\([^)]*\)")
_IN_PLACE = re.compile(r"\s+in\s+[A-Z].*$")
# "and" in any case; und/et/y only in lower case, so a middle initial "Y" is not a conjunction
_AND = re.compile(r"\s+(?:(?i:and)|und|et|y)\s+|\s*[;|&]\s*")
_BY = re.compile(r"^(?:(?:written|reported|story|text|words)\s+)?(?:by|von|par|por)[:\s]\s*", re.IGNORECASE)


def normalize(name: str) -> str:
    """The key two spellings of one name share: "Henrik  ROTHEN" and "henrik rothen"."""
    return " ".join(name.split()).casefold()


def clean(name: str) -> str:
    return " ".join(name.split()).strip(" ,;:-|")


def split_names(text: str) -> list[str]:
    """Return the distinct names in a byline, in order."""
    text = _BY.sub("", clean(_PARENS.sub("", text or "")))
    names: list[str] = []
    seen: set[str] = set()
    for part in _AND.split(text):
        part = _IN_PLACE.sub("", part)
        for name in part.split(","):
            name = clean(name)
            if name and "@" not in name and normalize(name) not in seen:
                seen.add(normalize(name))
                names.append(name)
    return names
