"""Typographic variants folded to their plain form: one table for quotes, glosses and anchors.

Authors type straight quotes and hyphens; readings print curly quotes, dashes and special
spaces. Matching a prompt's quote, a gloss's form or an annotation's selector against the
reading treats each variant here as its plain character. Each entry maps one code point to one
code point, so folding never changes a string's length (offsets in the folded text are offsets
in the original) nor a character's class (a word character, a space or punctuation stays one).
"""

from __future__ import annotations

PLAIN = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark, the usual typographic apostrophe
    "\u201b": "'",
    "\u02bc": "'",  # modifier letter apostrophe
    "\u201c": '"',
    "\u201d": '"',
    "\u201f": '"',
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u00a0": " ",  # no-break space
    "\u2009": " ",  # thin space
    "\u202f": " ",  # narrow no-break space
}
TABLE = str.maketrans(PLAIN)
_PAIRS = tuple(PLAIN.items())


def fold_typography(text: str) -> str:
    """``text`` with every variant in :data:`PLAIN` replaced; the same length as ``text``."""
    if text.isascii():
        return text
    # One ``in`` and at most one ``replace`` per variant, each a scan in C: on a non-ASCII text
    # this is 50-80 times faster than ``str.translate``, which looks every character up in
    # :data:`TABLE` one at a time (29 ms against 0.4 ms on a 574,000-character reading).
    for variant, plain in _PAIRS:
        if variant in text:
            text = text.replace(variant, plain)
    return text
