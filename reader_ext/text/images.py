"""Images in a reading: shown from the module folder, offline; never fetched from the web.

An image written ``![a map](images/map.png)`` is looked up by the caller (the lessons layer,
which knows the folder and its rules) and embedded in the page as a ``data:`` URI, so the
reading shows it without a server and a printed preview carries it. An image at a web address,
or one the caller cannot provide, is not shown at all: a student's browser must not fetch an
address written into a lesson. The sanitiser allows no ``data:`` URL, so the page is sanitised
with a placeholder (``#ar-image-N``) that is replaced by the URI afterwards.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ImageSource = Callable[[str, int], bytes | None]
"""Given an image's address as written and its line, the image's bytes, or None (not shown)."""

_PLACEHOLDER = re.compile(r'src="#ar-image-(\d+)"')
_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def media_type(data: bytes) -> str | None:
    """The type of an image the reader shows (PNG, JPEG, GIF, WebP), read from its bytes."""
    for magic, kind in _TYPES:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


class Images:
    """The images of one document: resolves them while parsing, embeds them after sanitising."""

    def __init__(self, source: ImageSource | None) -> None:
        self._source = source
        self._uris: list[str] = []

    def resolve(self, children: Sequence[Token], line: int) -> None:
        for token in children:
            if token.type != "image":
                continue
            src = str(token.attrGet("src") or "")
            data = self._source(src, line) if self._source else None
            kind = media_type(data) if data is not None else None
            if data is None or kind is None:
                token.meta = {**(token.meta or {}), "dropped": True}
                continue
            token.attrSet("src", f"#ar-image-{len(self._uris)}")
            self._uris.append(f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}")

    def embed(self, html: str) -> str:
        if not self._uris:
            return html
        return _PLACEHOLDER.sub(lambda m: f'src="{self._uris[int(m.group(1))]}"', html)


def render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    if tokens[idx].meta.get("dropped"):
        return ""
    return self.image(tokens, idx, options, env)
