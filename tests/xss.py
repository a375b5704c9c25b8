"""The XSS payload corpus and a checker for what a browser would build from some HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

CORPUS = Path(__file__).parent / "fixtures" / "xss" / "payloads.txt"
_DANGEROUS_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta",
    "link", "template", "noscript", "input", "textarea", "select", "button", "video", "audio",
    "source", "details", "marquee", "body",
}  # fmt: skip
_SAFE_SCHEMES = {"http", "https", "mailto"}


def payloads() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line.replace("⏎", "\n") for line in lines if line.strip() and not line.startswith("#")]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def dangers(html: str) -> list[str]:
    """Elements and attributes in ``html`` that could run script or restyle the page."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    bad = []
    for tag, attrs in parser.found:
        if tag in _DANGEROUS_TAGS:
            bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction", "xlink:href"}:
                bad.append(f"{tag}[{name}]")
            cleaned = re.sub(r"[\x00-\x20]", "", (value or "")).lower()
            scheme = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
            if (
                name in {"href", "src", "action", "data"}
                and scheme
                and scheme[1] not in _SAFE_SCHEMES
            ):
                bad.append(f"{tag}[{name}={value}]")
    return bad
