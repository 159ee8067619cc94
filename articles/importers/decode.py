"""Turn the bytes of a scraped page into text: BOMs, UTF-16, UTF-8, legacy ones guessed; refuse binary."""

import codecs
import re

from articles.importers.records import SourceError

BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def decode_text(data: bytes, *, name: str) -> str:
    """Return `data` as text with "\\n" line ends, or raise SourceError for empty or binary input."""
    if not data.strip():
        raise SourceError(f"{name}: empty file")
    text = None
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom) :], encoding, name)
            break
    if text is None:
        encoding = _utf16_without_bom(data)
        if encoding:
            text = _strict(data, encoding, name)
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if b"\x00" in data:
                raise SourceError(f"{name}: binary file (not text)") from None
            text = data.decode(guess_encoding(data), errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        raise SourceError(f"{name}: binary file (not text)")
    if not text.strip():
        raise SourceError(f"{name}: empty file")
    return text


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise SourceError(f"{name}: not valid {encoding} text at byte {error.start}") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text has one byte of each pair from a handful of values (0 for ASCII, 4 for Cyrillic...)."""
    sample = data[:4000]
    if len(sample) < 8:
        return None
    for encoding, high, low in (
        ("utf-16-le", sample[1::2], sample[0::2]),
        ("utf-16-be", sample[0::2], sample[1::2]),
    ):
        if high.count(0) > 0.1 * len(high) and low.count(0) < 0.05 * len(low) and len(set(high)) <= 8:
            return encoding
    return None


# Among readings charset-normalizer finds about as clean, the encoding more pages were written in wins: on
# a short French page it ranks Baltic cp1257 ("crčme") just above Windows-1252 ("crème").
COMMON_LEGACY = ("cp1252", "cp1251", "cp1250", "koi8_r", "iso8859_15", "cp1253", "cp1254", "cp1257")
CHAOS_MARGIN = 0.1
COHERENCE_MARGIN = 0.05


def guess_encoding(data: bytes) -> str:
    """The legacy encoding of text that is not UTF-8 and declares none (charset-normalizer, judged)."""
    from charset_normalizer import from_bytes  # imported when a page is not UTF-8, which few are

    matches = list(from_bytes(data[:200_000]))
    if not matches:
        return _single_byte_guess(data)
    cleanest = min(match.chaos for match in matches)
    close = [match for match in matches if match.chaos <= cleanest + CHAOS_MARGIN]
    coherent = max(match.coherence for match in close)  # the reading whose letters make the language's words
    close = [match.encoding for match in close if match.coherence >= coherent - COHERENCE_MARGIN]
    for encoding in COMMON_LEGACY:
        if encoding in close:
            return encoding
    return close[0]


def _single_byte_guess(data: bytes) -> str:
    """Windows-1251 when most letters are high bytes (Cyrillic words), else Windows-1252 (Latin accents)."""
    high = sum(1 for b in data if b >= 0xC0)
    ascii_letters = sum(1 for b in data if 65 <= b <= 90 or 97 <= b <= 122)
    return "cp1251" if high > ascii_letters else "cp1252"


def _looks_binary(text: str) -> bool:
    sample = text[:8000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\f\v")
    return "\x00" in sample or controls > 0.01 * len(sample) + 2


_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes, *, name: str) -> str:
    """A saved page as text: its BOM, else the charset its <meta> declares, else UTF-8, else a guess."""
    if not data.strip():
        raise SourceError(f"{name}: empty file")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, name)
    if declared := _META_CHARSET.search(data[:8192]):
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            encoding = ""
        if encoding:
            return data.decode(
                "cp1252" if encoding in ("latin-1", "iso8859-1") else encoding, errors="replace"
            )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\x00" in data:
            raise SourceError(f"{name}: binary file (not a page)") from None
        return data.decode(guess_encoding(data), errors="replace")
