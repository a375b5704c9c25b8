"""The documented size limits of a lesson (``lessons/README.md``, "Limits"), in one place.

Lessons are written by hand; anything far past these sizes is a mistake or an attack, and
refusing it early keeps ``validate`` fast and bounded. Each limit has a name, and the message
that refuses a file or a list says which limit was hit.
"""

from __future__ import annotations

KIB = 1024
MIB = 1024 * KIB

READING_BYTES = 4 * MIB
"""A reading: about 600,000 words, a long book."""
TOML_BYTES = 1 * MIB
"""``course.toml``, ``module.toml``, a glossary, prompts, comments, the guide."""
TEXT_BYTES = 256 * KIB
"""``intro.md`` and ``instructor/notes.md``."""
IMAGE_BYTES = 2 * MIB
"""One image in the module folder (it is embedded in the page)."""
IMAGES_BYTES = 8 * MIB
"""All the images of one reading together."""
NESTING = 16
"""Arrays and tables inside each other in a TOML file (a lesson needs three)."""
GLOSSES = 2000
PROMPTS = 200
COMMENTS = 1000
MODULES = 200

MANY_MATCHES = 20
"""An entry glossing more places than this gets a warning (``peace`` underlined 82 times)."""


def describe(size: int) -> str:
    """A byte count as an author reads it: ``30.0 MB``, ``4 MiB`` style for limits."""
    if size >= MIB:
        return f"{size / MIB:.1f} MiB"
    if size >= KIB:
        return f"{size / KIB:.1f} KiB"
    return f"{size} bytes"
