"""The reading's allow-list renderer writes what nh3 would keep, so the reading skips nh3.

Three claims, each on the XSS corpus, every reading of the course and a sample of every
Markdown construct the reader supports: the fast path is taken (nothing the renderer cannot
vouch for), nh3 leaves its output unchanged, and the output is what the old path (markdown-it's
own renderer, then nh3) gave, up to how HTML is spelled (attribute order, ``<br />``).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from reader_ext.lessons.load import load_course
from reader_ext.text import document
from reader_ext.text.document import build_document
from reader_ext.text.glossmatch import GlossMatcher
from reader_ext.text.markup import new_parser, sanitize
from reader_ext.text.safe_html import AllowListRenderer, safe_url
from tests.xss import dangers, payloads

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
MATCHER = GlossMatcher([("eaeu", ["EAEU"]), ("amp", ["A&B"])])
SAMPLE = """# Heading *one*

Text with a [link](https://example.org "a title") and [relative](other.md#x), [mail](mailto:a@b.c),
[ftp](ftp://example.org), [js](javascript:alert(1)), <https://auto.example>, EAEU & A&B.
Some `code`, **strong**, ~~struck~~, a hard\\
break, an omission [...] and an explicit [gloss]{gloss=eaeu}.[^1]

1. one
2. two

3) three
- a
- b

> quoted EAEU

| left | right | centre |
| :--- | ----: | :----: |
| a    | b     | c      |

```js" onclick="x
let a = "<b>";
```

    indented <code>

---

![an image](pic.png "t") ![web](https://example.org/x.png)

[^1]: The note, with EAEU.
"""


def _cases() -> list[str]:
    readings = [m.reading for m in load_course(LESSONS).modules]
    return [SAMPLE, *readings, *(f"Before {p} after EAEU." for p in payloads())]


CASES = _cases()


class _Events(HTMLParser):
    """What a browser builds, roughly: tags with their attributes (in any order), and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[object] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("<", tag, sorted((k, v or "") for k, v in attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("/", tag))

    def handle_data(self, data: str) -> None:
        if self.events and isinstance(self.events[-1], str):
            self.events[-1] += data
        else:
            self.events.append(data)


def events(html: str) -> list[object]:
    parser = _Events()
    parser.feed(html)
    parser.close()
    return parser.events


def test_cases_cover_the_course_and_the_corpus() -> None:
    assert len(CASES) > 60


@pytest.mark.parametrize("source", CASES)
def test_fast_path_output_is_what_nh3_keeps(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    md = document.make_parser(MATCHER)
    md.renderer.render(md.parse(source, {}), md.options, {})
    assert isinstance(md.renderer, AllowListRenderer)
    assert md.renderer.unsafe == []  # the reading does skip nh3
    fast = build_document(source, MATCHER).html
    assert dangers(fast) == []
    assert events(sanitize(fast)) == events(fast)
    monkeypatch.setattr(document, "new_parser", lambda *_: new_parser())  # the old path
    assert events(build_document(source, MATCHER).html) == events(fast)


def test_the_sample_keeps_and_drops_what_nh3_does() -> None:
    found = events(build_document(SAMPLE, MATCHER).html)
    links = [dict(e[2]) for e in found if isinstance(e, tuple) and e[:2] == ("<", "a")]
    rel = "noopener noreferrer nofollow"
    assert links[:5] == [
        {"href": "https://example.org", "title": "a title", "rel": rel},
        {"href": "other.md#x", "rel": rel},
        {"href": "mailto:a@b.c", "rel": rel},
        {"rel": rel},  # ftp: the link's text stays, its address goes
        {"href": "https://auto.example", "rel": rel},
    ]
    text = "".join(e for e in found if isinstance(e, str))
    assert "[js](javascript:alert(1))" in text  # markdown-it's own validateLink: shown as text
    tags = {(e[1], k) for e in found if isinstance(e, tuple) and e[0] == "<" for k, _ in e[2]}
    assert not {k for _, k in tags} & {"style", "onclick"}  # table alignment, the fence's info
    assert ("code", "class") not in tags and ("pre", "data-block") not in tags
    assert 'let a = "<b>";\n' in text and not any(
        e[1] == "img" for e in found if isinstance(e, tuple)
    )
    # A tight list's paragraph carries its block id and is closed before its item is.
    assert found.count(("/", "p")) == sum(
        1 for e in found if isinstance(e, tuple) and e[:2] == ("<", "p")
    )


def test_what_the_renderer_cannot_vouch_for_goes_through_nh3() -> None:
    def raw(self: object, tokens: list[object], idx: int, options: object, env: object) -> str:
        return '<b onclick="x()">raw</b>'

    md = document.make_parser(None)
    md.add_render_rule("em_open", raw)  # a rule of unknown origin
    md.renderer.render(md.parse("*a*", {}), md.options, {})
    assert isinstance(md.renderer, AllowListRenderer) and md.renderer.unsafe == ["em_open"]


def test_safe_url_reads_schemes_as_a_browser_does() -> None:
    for url in ("https://x", "HTTP://x", "mailto:a@b", "#x", "a/b:c", "?q=a:b", "//host/x", ""):
        assert safe_url(url), url
    for url in ("javascript:x", " java\tscript:x", "\x01javascript:x", "JaVaScRiPt:x", "data:x"):
        assert not safe_url(url), url
    for url in ("vbscript:x", "ftp://x", "file:///etc/passwd", "blob:x", "java\nscript:x"):
        assert not safe_url(url), url
