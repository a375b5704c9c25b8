"""Checks that need the rendered reading: prompt quotes, glossary coverage, uris, stray syntax.

Each adds located problems (the lesson is refused) or warnings (it loads, ``validate`` says
``warning:``, ``--strict`` refuses). Messages say what was found and what to do about it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

import ahocorasick_rs

from reader_ext.anchoring.match_quote import fold, match_quote
from reader_ext.errors import Problem
from reader_ext.lessons import limits
from reader_ext.lessons.model import Gloss, Prompt
from reader_ext.lessons.tomlsrc import TomlFile
from reader_ext.text.document import Block, Document
from reader_ext.text.gloss_plugin import EXPLICIT_TAIL
from reader_ext.text.glossmatch import GlossMatcher
from reader_ext.text.marks import holds

# RFC 3986 characters only (what the W3C suite checks), a scheme, and no fragment: annotations
# target ``<uri>#prompt-<id>`` and ``<uri>#comment-<id>``.
_URI_CHARS = set(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?[]@!$&'()*+,;=%"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:.")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def check_uri(uri: str, src: TomlFile, problems: list[Problem]) -> None:
    bad = next((c for c in uri if c not in _URI_CHARS), None)
    if bad is None and _SCHEME.match(uri) and not _BAD_PERCENT.search(uri):
        return
    if bad == " ":
        reason = "it contains a space (write %20)"
    elif bad == "#":
        reason = "it contains '#' (the reader adds #prompt-… and #comment-… to it)"
    elif bad is not None:
        reason = f"it contains {bad!r}, which a URI cannot hold (percent-encode it)"
    elif not _SCHEME.match(uri):
        reason = "it has no scheme (start it with urn: or https:)"
    else:
        reason = "a '%' is not followed by two hex digits"
    problems.append(
        Problem(
            src.path,
            src.line_of(None, 0, "uri"),
            f"uri '{uri}' cannot identify the lesson: {reason}; e.g. urn:reader-ext:course:module",
        )
    )


def where(block: Block | None) -> str:
    """How a message names a place in the reading: its ¶ number, else its line."""
    if block is None:
        return "the reading"
    if block.number:
        return f"¶ {block.number}"
    return f"the {'heading' if block.tag.startswith('h') else block.tag} at line {block.line}"


def anchor_prompts(
    prompts: list[Prompt], document: Document, src: TomlFile, problems: list[Problem]
) -> None:
    """Find each prompt's quote in the plain text: once, or the ``occurrence``-th place.

    A quote matches the reading's plain text exactly, except that any run of white space in
    the quote matches any run of white space in the text (a TOML string may be wrapped).
    """
    places = _exact_places(document, [p.quote for p in prompts])
    for i, prompt in enumerate(prompts):
        line = src.line_of("prompt", i, "quote")
        found = _find(document, prompt.quote, places)
        label = f"prompt '{prompt.id}'"
        if not found:
            problems.append(Problem(src.path, line, f"{label}: {_not_found(document, prompt)}"))
            continue
        blocks = [document.block_at(start) for start, _ in found]
        if prompt.occurrence is not None:
            if prompt.occurrence > len(found):
                problems.append(
                    Problem(
                        src.path,
                        src.line_of("prompt", i, "occurrence"),
                        f"{label}: occurrence = {prompt.occurrence}, but the quote occurs"
                        f" {_times(len(found))} ({_places(blocks)})",
                    )
                )
                continue
            found = [found[prompt.occurrence - 1]]
        elif len(found) > 1:
            choices = " or ".join(f"occurrence = {n}" for n in range(1, min(len(found), 3) + 1))
            problems.append(
                Problem(
                    src.path,
                    line,
                    f"{label}: quote found {_times(len(found))}, in {_places(blocks)} — lengthen"
                    f" it until it is unique, or choose one with {choices}",
                )
            )
            continue
        start, end = found[0]
        first, last = document.block_at(start), document.block_at(max(start, end - 1))
        if first is None or last is None or first.id != last.id:
            problems.append(
                Problem(
                    src.path,
                    line,
                    f"{label}: quote runs from {where(first)} into {where(last)} — a prompt is"
                    " shown at one paragraph: quote a passage within one of them",
                )
            )
            continue
        prompt.start, prompt.end = start, end
        prompt.quote = document.text[start:end]
        prompt.block = first.id


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _places(blocks: list[Block | None]) -> str:
    names = [where(b) for b in blocks]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


# Below this many characters searched (the text's length times the quotes), one search per
# quote costs less than building the automaton (about 0.2 ms).
_SEARCH_ALONE = 2_000_000


def _exact_places(document: Document, quotes: list[str]) -> dict[str, list[int]]:
    """Every start of each quote in ``text``, overlapping ones included, as ``Document.find``
    gives them: found in one pass of an automaton over the text, not one search per quote (a
    long reading's twenty prompts cost 2.5 ms that way, 0.9 ms this way)."""
    text = document.text
    wanted = list(dict.fromkeys(q for q in quotes if q.strip()))
    if len(text) * len(wanted) < _SEARCH_ALONE:  # a short reading: building costs more
        return {q: document.find(q) for q in wanted}
    places: dict[str, list[int]] = {q: [] for q in wanted}
    if wanted:
        automaton = ahocorasick_rs.AhoCorasick(wanted)
        for index, start, _ in automaton.find_matches_as_indexes(text, overlapping=True):
            places[wanted[index]].append(start)
        for starts in places.values():
            starts.sort()
    return places


def _find(document: Document, quote: str, places: dict[str, list[int]]) -> list[tuple[int, int]]:
    if not quote.strip():
        return []
    exact = [(at, at + len(quote)) for at in places[quote]]
    if exact:
        return exact
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    return [m.span() for m in re.finditer(pattern, document.text)]


def _not_found(document: Document, prompt: Prompt) -> str:
    quote = " ".join(prompt.quote.split())
    hint = "copy it from `reader-ext render MODULE --format text`, which prints the plain text"
    text = document.text
    lowered = text.lower()
    found = None
    if len(quote) >= 2 and len(lowered) == len(text):
        wanted = re.sub(r"[*_`]", "", quote).lower()
        found = match_quote(
            lowered, wanted, max_errors=max(1, min(len(wanted) - 1, len(wanted) // 4))
        )
    if found is None:
        return f"quote not found in the reading, nor anything close to it — {hint}"
    passage = text[found.start : found.end]
    block = document.block_at(found.start)
    differs = _differences(quote, passage)
    return (
        f'quote not found in the reading; the nearest passage ({where(block)}) is "{passage}"'
        f" — it differs in {differs}: copy the passage exactly"
    )


def _differences(quote: str, passage: str) -> str:
    found: list[str] = []
    kinds = (
        ("apostrophes", "'’‘ʼ"),
        ("double quotes", '"“”„'),
        ("dashes", "-‐‑‒–—―−"),
    )
    for name, chars in kinds:
        q = sorted({c for c in quote if c in chars})
        p = sorted({c for c in passage if c in chars})
        if q != p and (q or p):
            found.append(
                f"{name} (the reading has {' '.join(p) or 'none'}, the quote "
                f"{' '.join(q) or 'none'})"
            )
    if re.search(r"[*_`]|\]\(", quote) and not re.search(r"[*_`]", passage):
        found.append("Markdown (the quote has * _ ` or a link; the plain text has none)")
    plain_q = fold(re.sub(r"[*_`]", "", quote))
    plain_p = fold(passage)
    if plain_q != plain_p and plain_q.lower() == plain_p.lower():
        found.append("capitals")
    elif plain_q.lower() != plain_p.lower() and not found:
        words = difflib.ndiff(plain_p.split(), plain_q.split())
        changed = [w for w in words if w[:1] in "+-"][:6]
        found.append("words (" + ", ".join(changed) + ")")
    elif plain_q.lower() != plain_p.lower():
        found.append("other characters")
    return "; ".join(found) if found else "white space"


def check_glosses(
    glossary: list[tuple[Gloss, Path, int]],
    document: Document,
    reading_path: Path | None,
    problems: list[Problem],
    warnings: list[Problem],
) -> None:
    counts = Counter(o.key for o in document.occurrences)
    known = {g.key for g, _, _ in glossary}
    for gloss, path, line in glossary:
        if counts[gloss.key]:
            if counts[gloss.key] > limits.MANY_MATCHES and gloss.first is None and gloss.match:
                warnings.append(
                    Problem(
                        path,
                        line,
                        f"gloss '{gloss.key}' underlines {counts[gloss.key]} places in the"
                        f" reading (more than {limits.MANY_MATCHES}): use a longer form in"
                        " 'match', first = \"reading\" to gloss only the first, or pin places"
                        f" with [text]{{gloss={gloss.key}}} and match = []",
                    )
                )
            continue
        if not gloss.match:
            problems.append(
                Problem(
                    path,
                    line,
                    f"gloss '{gloss.key}' has match = [] (explicit only) but the reading never"
                    f" pins it: write [the words]{{gloss={gloss.key}}} where it applies",
                )
            )
            continue
        forms = ", ".join(repr(f) for f in gloss.match)
        covered = _covered_by(gloss, document)
        if covered:
            problems.append(
                Problem(
                    path,
                    line,
                    f"gloss '{gloss.key}': its forms ({forms}) occur in the reading only inside"
                    f" longer glossed terms ({', '.join(covered)}), which win — pin a place"
                    f" with [text]{{gloss={gloss.key}}}, or remove the entry",
                )
            )
            continue
        problems.append(
            Problem(
                path,
                line,
                f"gloss '{gloss.key}': none of its forms ({forms}) occurs in the reading — "
                "add a 'match' form that does, or remove the entry",
            )
        )
    for occurrence in document.occurrences:
        if occurrence.key not in known and reading_path is not None:
            block = next(b for b in document.blocks if b.id == occurrence.block)
            close = difflib.get_close_matches(occurrence.key, list(known), n=1)
            hint = f": did you mean '{close[0]}'?" if close else ""
            problems.append(
                Problem(
                    reading_path,
                    block.line,
                    f"explicit gloss '{occurrence.key}' has no glossary entry with that key{hint}",
                )
            )
    _shared_forms(glossary, warnings)


def _covered_by(gloss: Gloss, document: Document) -> list[str]:
    """The keys whose occurrences contain a place where ``gloss``'s forms occur."""
    alone = GlossMatcher(
        [(gloss.key, gloss.match)], case_sensitive=([gloss.key] if gloss.case_sensitive else [])
    )
    keys: list[str] = []
    spans = document.occurrences
    for match in alone.find(document.text):
        for o in spans:
            if o.start <= match.start and match.end <= o.end and o.key not in keys:
                keys.append(o.key)
    return keys


def _shared_forms(glossary: list[tuple[Gloss, Path, int]], warnings: list[Problem]) -> None:
    """A form given by two entries glosses only as the first: say so, and how to pin."""
    owner: dict[tuple[str, bool], str] = {}
    for gloss, path, line in glossary:
        for form in gloss.match:
            folded = form if gloss.case_sensitive else form.casefold()
            key = (" ".join(folded.split()), gloss.case_sensitive)
            if key in owner and owner[key] != gloss.key:
                warnings.append(
                    Problem(
                        path,
                        line,
                        f"gloss '{gloss.key}': the form '{form}' is also a form of"
                        f" '{owner[key]}', which glosses it everywhere — for a second sense, set"
                        f" match = [] and pin its places with [text]{{gloss={gloss.key}}}, or"
                        " tell the senses apart with case_sensitive = true",
                    )
                )
            owner.setdefault(key, gloss.key)


_STRAY = re.compile(r"\]\{[^}\n]*\}")


def check_stray_syntax(reading: str, path: Path, warnings: list[Problem]) -> None:
    """``[text]{glos=key}`` and the like: meant as a gloss, shown to students as it is."""
    # Any such mark within a line is one in the whole reading: most readings have none.
    lines = reading.splitlines() if holds(reading, "]{") and _STRAY.search(reading) else []
    for number, line in enumerate(lines, 1):
        for found in _STRAY.finditer(line):
            if EXPLICIT_TAIL.match(line, found.start()):
                continue
            warnings.append(
                Problem(
                    path,
                    number,
                    f"'{found.group()}' is not an explicit gloss and will be shown as it is:"
                    " write [the words]{gloss=key}",
                )
            )
    if holds(reading, "[^"):
        for number, line in enumerate(reading.splitlines(), 1):
            for ref in re.finditer(r"\[\^([^\]\s]+)\](?!:)", line):
                label = re.escape(ref.group(1))
                if not re.search(rf"^\[\^{label}\]:", reading, re.MULTILINE):
                    warnings.append(
                        Problem(
                            path,
                            number,
                            f"footnote [^{ref.group(1)}] has no text: add a line"
                            f" '[^{ref.group(1)}]: the note' (it is shown as typed)",
                        )
                    )
