"""WordPress content filters the export leaves undone: automatic paragraphs and shortcodes."""

import re

from articles.importers import elements

BLOCK_TAGS = (
    "address|article|aside|blockquote|details|div|dl|dd|dt|fieldset|figcaption|figure|footer|form|h[1-6]|"
    "header|hr|li|main|nav|ol|p|pre|section|table|thead|tbody|tfoot|tr|td|th|ul|iframe|audio|video|object"
)
_STARTS_WITH_BLOCK = re.compile(rf"^\s*</?(?:{BLOCK_TAGS})\b", re.IGNORECASE)
_ENDS_WITH_BLOCK = re.compile(rf"</?(?:{BLOCK_TAGS})\b[^>]*>\s*$", re.IGNORECASE)
_CAPTION = re.compile(r"\[(caption|wp_caption)([^\]]*)\](.*?)\[/\1\]", re.IGNORECASE | re.DOTALL)
_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.IGNORECASE | re.DOTALL)
_ATTR_CAPTION = re.compile(r"""caption=(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LINE_BREAK = re.compile(r"\s*\n\s*")
KNOWN_SHORTCODES = (
    "gallery|audio|video|playlist|embed|code|sourcecode|youtube|vimeo|soundcloud|twitter|tweet|instagram|"
    "googlemaps|slideshow|archives|polldaddy|contact-form|button|column|columns|row|tabs?|toggle|quote|"
    "pullquote|dropcap|spoiler|box|note|highlight|divider|recipe|jetpack_subscription_form|wpvideo"
)
_SHORTCODE = re.compile(
    rf"\[(/?)(?:({KNOWN_SHORTCODES})\b[^\]]*|([a-z][\w-]*_[\w-]*|[a-z][\w]*-[\w-]+)\b[^\]]*|([a-z][\w-]*)(\s+[\w-]+=[^\]]*))/?\]",
    re.IGNORECASE,
)


def captions_to_figures(html: str) -> str:
    """[caption]<img> Text[/caption] -> <figure><img><figcaption>Text</figcaption></figure>."""

    def figure(match: re.Match) -> str:
        attrs, inner = match.group(2), match.group(3)
        image = _IMAGE.match(inner)
        img, text = (image.group(1), image.group(2)) if image else ("", inner)
        caption = _ATTR_CAPTION.search(attrs)
        text = (caption.group(2) if caption and not text.strip() else text).strip()
        return f"<figure>{img}<figcaption>{text}</figcaption></figure>" if text else f"<figure>{img}</figure>"

    return _CAPTION.sub(figure, html)


def remove_shortcodes(html: str) -> tuple[str, list[str]]:
    """Remove shortcode tags, keeping what they enclose; return the html and the names removed."""
    names: list[str] = []

    def drop(match: re.Match) -> str:
        name = (match.group(2) or match.group(3) or match.group(4)).lower()
        if name not in names:
            names.append(name)
        return ""

    return _SHORTCODE.sub(drop, html), names


def autop(text: str) -> str:
    """WordPress's wpautop, simplified: blank lines make paragraphs, single line breaks make <br>."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    if not text:
        return ""
    if "<!-- wp:" in text:  # block-editor content is already marked up; WordPress skips wpautop for it
        return text
    if "<!--" in text:
        text = _COMMENT.sub("", text).strip()
    out = []
    for chunk in _PARAGRAPH_BREAK.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_WITH_BLOCK.match(chunk) and _ENDS_WITH_BLOCK.search(chunk):
            out.append(chunk)
        elif "<pre" in chunk.lower():
            out.append(chunk)
        else:
            out.append("<p>" + (_LINE_BREAK.sub("<br>\n", chunk) if "\n" in chunk else chunk) + "</p>")
    return "\n".join(out)


def render(content: str) -> tuple[str, list[str]]:
    """The HTML a reader of the WordPress site saw, and warnings about what was dropped."""
    content = elements.wordpress_embeds(content)  # videos, posts and charts as embeds (#14)
    if "[" not in content:  # no caption, no shortcode: most stories
        return autop(content), []
    html = captions_to_figures(content)
    html, removed = remove_shortcodes(html)
    warnings = [f"removed shortcodes: {', '.join(removed)}"] if removed else []
    return autop(html), warnings
