"""Write the import benchmark's inputs: 10,000- and 100,000-story JSON Lines and WordPress (WXR) files.

    python bench/import_data.py OUTPUT_DIR [--sizes 10000 100000]

The stories are deterministic (seeded), about 3 KB of body each, with 1-3 bylines from 2,000 authors,
3-5 tags from 500, 8 sections, and in WXR every tenth post has a featured image attachment. --html-pages
writes a saved news site (NewsArticle JSON-LD, menus, share bar, newsletter box, related links, Trending Now).
"""

import argparse
import json
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = (
    "council minister river election border harbour vaccine budget strike market court festival storm "
    "mayor school railway energy farmers museum police villagers parliament treaty drought league"
).split()
SECTIONS = ["News", "World", "Politics", "Business", "Science", "Culture", "Sport", "Opinion"]
START = datetime(2015, 1, 1, tzinfo=UTC)


def sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def story(rng: random.Random, number: int) -> dict:
    paragraphs = [" ".join(sentence(rng) for _ in range(4)) for _ in range(7)]
    return {
        "number": number,
        "headline": f"{sentence(rng, 8)[:-1]} {number}",
        "dek": sentence(rng, 20),
        "paragraphs": paragraphs,
        "section": SECTIONS[number % len(SECTIONS)],
        "authors": [f"Reporter {rng.randrange(2000)}" for _ in range(rng.randint(1, 3))],
        "tags": sorted({f"topic {rng.randrange(500)}" for _ in range(rng.randint(3, 5))}),
        "published": START + timedelta(minutes=37 * number),
    }


def write_jsonl(path: Path, count: int) -> None:
    rng = random.Random(count)
    with path.open("w", encoding="utf-8") as out:
        for number in range(1, count + 1):
            s = story(rng, number)
            out.write(
                json.dumps(
                    {
                        "schema": "newsroom-article/1",
                        "id": f"bench-{number}",
                        "source": "bench",
                        "headline": s["headline"],
                        "dek": s["dek"],
                        "body": "".join(f"<p>{p}</p>" for p in s["paragraphs"]),
                        "status": "published",
                        "published_at": s["published"].isoformat(),
                        "section": s["section"],
                        "authors": [{"name": a, "role": ""} for a in dict.fromkeys(s["authors"])],
                        "tags": s["tags"],
                        "lead_photo": {"caption": s["dek"][:80], "credit": "Photo: Bench"}
                        if number % 10 == 0
                        else None,
                    }
                )
                + "\n"
            )


WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench</title><link>https://bench.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example</wp:base_site_url><wp:base_blog_url>https://bench.example</wp:base_blog_url>
"""


def write_wxr(path: Path, count: int) -> None:
    rng = random.Random(count)
    with path.open("w", encoding="utf-8") as out:
        out.write(WXR_HEAD)
        for n in range(2000):
            out.write(
                f"<wp:author><wp:author_login><![CDATA[reporter{n}]]></wp:author_login>"
                f"<wp:author_display_name><![CDATA[Reporter {n}]]></wp:author_display_name></wp:author>\n"
            )
        for number in range(1, count + 1):
            s = story(rng, number)
            post_id = number * 2
            when = s["published"].strftime("%Y-%m-%d %H:%M:%S")
            section = s["section"]
            categories = (
                f'<category domain="category" nicename="{section.lower()}"><![CDATA[{section}]]></category>'
            )
            categories += "".join(
                f'<category domain="post_tag" nicename="{t.replace(" ", "-")}"><![CDATA[{t}]]></category>'
                for t in s["tags"]
            )
            meta = ""
            if number % 10 == 0:
                meta = (
                    "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
                    f"<wp:meta_value>{post_id + 1}</wp:meta_value></wp:postmeta>"
                )
            content = "\n\n".join(s["paragraphs"])
            out.write(
                f"<item><title>{escape(s['headline'])}</title><dc:creator><![CDATA[reporter{s['authors'][0].split()[1]}]]></dc:creator>"
                f"<content:encoded><![CDATA[{content}]]></content:encoded>"
                f"<excerpt:encoded><![CDATA[{s['dek']}]]></excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{when}</wp:post_date>"
                f"<wp:post_date_gmt>{when}</wp:post_date_gmt><wp:post_name>story-{number}</wp:post_name>"
                f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>{categories}{meta}</item>\n"
            )
            if number % 10 == 0:
                out.write(
                    f"<item><title>Photo {number}</title><wp:post_id>{post_id + 1}</wp:post_id>"
                    f"<excerpt:encoded><![CDATA[{s['dek'][:80]}]]></excerpt:encoded>"
                    f"<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
                    f"<wp:attachment_url>https://bench.example/uploads/photo-{number}.jpg</wp:attachment_url>"
                    f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
                    f"<wp:meta_value>2020/01/photo-{number}.jpg</wp:meta_value></wp:postmeta></item>\n"
                )
        out.write("</channel>\n</rss>\n")


HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{headline} | Bench Herald</title>
<link rel="canonical" href="https://bench.example/{path}/">
<meta property="og:type" content="article"><meta property="og:title" content="{headline}">
<meta property="og:description" content="{dek}">
<meta property="article:published_time" content="{published}">
<script type="application/ld+json">{ld}</script>
</head><body>
<a class="skip" href="#main">Skip to content</a>
<nav class="menu"><ul>{menu}</ul></nav>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a>
<button>Copy link</button></div>
<main id="main"><article>
<h1>{headline}</h1><p class="dek">{dek}</p>
<p class="byline">By {byline}</p><time datetime="{published}">{published}</time>
{body}
<aside class="newsletter"><h3>Sign up for our newsletter</h3><p>The news every morning.</p></aside>
<div class="related"><h3>Related</h3><ul>{related}</ul></div>
</article></main>
<aside class="sidebar"><h2>Trending Now</h2><ol>{related}</ol></aside>
<footer><p>Bench Herald</p></footer>
</body></html>
"""


def write_html_pages(folder: Path, count: int) -> None:
    """A saved news site as `wget --mirror` keeps it: `count` article pages, a home page and a stylesheet."""
    rng = random.Random(count + 1)
    site = folder / "bench.example"
    menu = "".join(f'<li><a href="/section/{s.lower()}/">{s}</a></li>' for s in SECTIONS)
    for number in range(1, count + 1):
        s = story(rng, number)
        path = f"{s['published']:%Y/%m/%d}/story-{number}"
        body = "\n".join(
            f"<h2>{sentence(rng, 4)[:-1]}</h2>" if i == 3 else f"<p>{p}</p>"
            for i, p in enumerate(s["paragraphs"])
        )
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": s["headline"],
            "description": s["dek"],
            "datePublished": s["published"].isoformat(),
            "author": [{"@type": "Person", "name": a} for a in dict.fromkeys(s["authors"])],
            "articleSection": s["section"],
            "keywords": s["tags"],
        }
        related = "".join(f'<li><a href="/r/{n}/">{sentence(rng, 6)}</a></li>' for n in range(4))
        page = HTML_PAGE.format(
            headline=escape(s["headline"]),
            dek=escape(s["dek"]),
            path=path,
            published=s["published"].isoformat(),
            ld=json.dumps(ld),
            menu=menu,
            byline=" and ".join(dict.fromkeys(s["authors"])),
            body=body,
            related=related,
        )
        target = site / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    (site / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta property="og:type" content="website"></head>'
        "<body>Home</body></html>"
    )
    (site / "site.css").write_text("body { font-family: serif; }\n")


def html_pages(output: Path, count: int) -> Path:
    """The saved site of `count` pages under `output`, written once."""
    folder = output / f"html-pages-{count}"
    if not folder.exists():
        partial = output / f"html-pages-{count}.partial"
        if partial.exists():
            shutil.rmtree(partial)
        write_html_pages(partial, count)
        partial.replace(folder)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--html-pages", type=int, default=1000, help="Pages of the saved site (0: none).")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        for kind, write in (("jsonl", write_jsonl), ("xml", write_wxr)):
            path = args.output / f"stories-{size}.{kind}"
            if not path.exists():
                partial = path.with_suffix(".partial")  # an interrupted run leaves no short file behind
                write(partial, size)
                partial.replace(path)
            print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
    if args.html_pages:
        print(f"{html_pages(args.output, args.html_pages)} ({args.html_pages} saved pages)")


if __name__ == "__main__":
    main()
