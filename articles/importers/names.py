"""Split free-text bylines ("By A, B and C in Kyiv", "A (now), B and C (earlier)") into author names."""

import re

_PARENS = re.compile(r"\([^)]*\)")
_IN_PLACE = re.compile(r"\s+in\s+[A-Z].*$")
# "and" in any case; und/et/y only in lower case, so a middle initial "Y" is not a conjunction
_AND = re.compile(r"\s+(?:(?i:and)|und|et|y)\s+|\s*[;|&]\s*")
_BY = re.compile(r"^(?:(?:written|reported|story|text|words)\s+)?(?:by|von|par|por)[:\s]\s*", re.IGNORECASE)
# What follows a name after a comma when it is where the person works, not a second person: The
# Conversation's "Ana Reyes, Michigan State University", "Bo Li, Professor of Law", "Cy Ode, Reuters Health".
_AFFILIATION = re.compile(
    r"\b(?:univ|universit|universidad|università|college|institut|school|academy|hospital|cent(?:er|re)|"
    r"foundation|laborator|museum|department|ministry|council|agency|corporation|association|society|"
    r"trust|bank|company|observatory|clinic|professor|lecturer|researcher|scientist|fellow|student|"
    r"candidate|correspondent|editor|reporter|director|chair|dean)\w*|\b(?:of|for|at)\s|\bInc\b|\bLtd\b",
    re.IGNORECASE,
)


def normalize(name: str) -> str:
    """The key two spellings of one name share: "Henrik  ROTHEN" and "henrik rothen"."""
    return " ".join(name.split()).casefold()


def clean(name: str) -> str:
    return " ".join(name.split()).strip(" ,;:-|")


def split_bylines(text: str) -> list[tuple[str, str]]:
    """The distinct (name, affiliation) pairs of a byline, in order; affiliation "" when none is given."""
    text = _BY.sub("", clean(_PARENS.sub("", text or "")))
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for part in _AND.split(text):
        part = _IN_PLACE.sub("", part)
        names: list[list[str]] = []
        for piece in part.split(","):
            piece = clean(piece)
            if not piece or "@" in piece:
                continue
            if names and (
                _AFFILIATION.search(piece) or (len(names[-1]) > 1 and " " not in piece)
            ):  # "…, Michigan State University" (and a one-word "…, Yale" after it): the last name's
                names[-1].append(piece)
            else:
                names.append([piece])
        for name, *affiliation in names:
            if normalize(name) not in seen:
                seen.add(normalize(name))
                found.append((name, ", ".join(affiliation)))
    return found


def split_names(text: str) -> list[str]:
    """Return the distinct names in a byline, in order (affiliations after a comma left out)."""
    return [name for name, _ in split_bylines(text)]
