"""The source line: how a reading's ``[source]`` fields are put together for a reader.

One line per source, fields in this order, each only if given, joined by ". ":

    author. title. venue, edition, publisher, place, pages. [c. ]date. url

e.g. ``Leo Tolstoy. War and Peace. 2nd ed., Penguin, London, pp. 3–17. c. 1869``. ``certainty``
and ``licence`` are not part of the line; they are shown beneath it.
"""

from __future__ import annotations

from reader_ext.lessons.model import Source


def citation(source: Source) -> str:
    """The source line of one source (empty if it has no fields)."""
    printing = ", ".join(
        part
        for part in (
            source.venue,
            source.edition,
            source.publisher,
            source.place,
            _pages(source.pages),
        )
        if part
    )
    date = f"c. {source.date}" if source.date and source.circa else source.date
    parts = [source.author, source.title, printing, date, source.url]
    return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())


def _pages(pages: str | None) -> str | None:
    if not pages:
        return None
    return pages if pages.startswith(("p.", "pp.")) else f"pp. {pages}"
