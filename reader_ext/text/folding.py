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


def fold_typography(text: str) -> str:
    """``text`` with every variant in :data:`PLAIN` replaced; the same length as ``text``."""
    return text.translate(TABLE)
