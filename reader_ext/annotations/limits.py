"""Documented size limits for everything a reader can write into the annotation store.

Every annotation from the browser and every imported annotation is checked against these before
it is stored (see ``docs/annotations.md``). They are generous for real reading notes and small
enough that one hostile message or submission cannot bloat a class store or stall a kernel.
Lengths are counted in code points (what Python's ``len`` gives), sizes in UTF-8 bytes.
"""

from __future__ import annotations

from typing import Final

MAX_USERNAME_CHARS: Final = 64
"""A username (the creator's ``nickname``): 1 to 64 characters, no control characters."""

MAX_BODY_CHARS: Final = 20_000
"""The Markdown text of one note or reply: about eight printed pages."""

MAX_TAGS: Final = 20
"""Tags (``purpose: tagging`` bodies) on one annotation."""

MAX_TAG_CHARS: Final = 64
"""One tag."""

MAX_QUOTE_CHARS: Final = 5_000
"""The ``exact`` text of a ``TextQuoteSelector``: a long paragraph or two."""

MAX_CONTEXT_CHARS: Final = 256
"""``prefix`` / ``suffix`` of a ``TextQuoteSelector``; we write about 32, other tools more."""

MAX_URI_CHARS: Final = 2_048
"""An id, a lesson uri or a reply target."""

MAX_ANNOTATION_BYTES: Final = 64 * 1024
"""The whole annotation as stored JSON (UTF-8), after ids, dates and creator are filled in."""

MAX_OFFSET: Final = 50_000_000
"""Largest ``TextPositionSelector`` offset: far beyond any lesson, well inside SQLite's ints."""

MAX_EVENT_FIELD_CHARS: Final = 256
"""``kind``, ``source`` and ``key`` of a private event (e.g. which gloss was opened)."""

MAX_IMPORT_FILE_BYTES: Final = 64 * 1024 * 1024
"""A file given to ``reader-ext import``: ample for a class of thousands of annotations."""
