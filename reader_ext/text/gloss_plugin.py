"""The markdown-it-py gloss plugin: marks glossary terms in a reading's inline text.

Two ways a term gets glossed:

* automatically: the text of each run of inline text outside links, code and explicit glosses
  is searched with a :class:`~reader_ext.text.glossmatch.GlossMatcher` after inline parsing. A
  run goes on across emphasis and line breaks, so ``*permanent* alliances`` is one phrase;
* explicitly, for the rare ambiguous place: ``[the Union]{gloss=eaeu}`` (spaces and quotes
  around the key are allowed: ``{gloss = "eaeu"}``).

An explicit gloss becomes ``gloss_open`` / ``gloss_close`` tokens whose ``meta["key"]`` names
the entry; automatic matches are listed on their text token as ``meta["glosses"]`` (key, start,
end). A match that crosses emphasis is split into one piece per text token, and the token
holding a piece that continues the previous one has ``meta["continues"]``: the document joins
the pieces into one occurrence. Both render as ``<span class="ar-gloss" data-gloss="KEY">``.

``first`` maps a key to ``"reading"`` or ``"section"``: only the first automatic occurrence in
the reading, or in each section (a heading starts one), is glossed; an explicit gloss counts.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.helpers import parseLinkLabel
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from reader_ext.text.glossmatch import SEPARATOR, GlossMatcher

EXPLICIT_TAIL = re.compile(
    r"\]\{[ \t]*gloss[ \t]*=[ \t]*(?:\"([^\"{}\n]*)\"|'([^'{}\n]*)'|([^\s\"'{}]+))[ \t]*\}"
)
# Markup that does not interrupt a phrase: a glossed term may be partly emphasised.
_TRANSPARENT = frozenset(
    {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}
)
_BREAKS = frozenset({"softbreak", "hardbreak"})


def gloss_plugin(
    md: MarkdownIt,
    *,
    matcher: GlossMatcher | None = None,
    first: Mapping[str, str] | None = None,
) -> None:
    """Register the explicit-gloss inline rule, the automatic core rule and their renderers."""
    md.inline.ruler.before("link", "gloss_explicit", _explicit_gloss)
    if matcher:
        found = matcher
        policy = dict(first or {})

        def auto(state: StateCore) -> None:
            _auto_gloss(state, found, _Once(policy) if policy else None)

        md.core.ruler.push("gloss_auto", auto)
    md.add_render_rule("text", render_text)
    md.add_render_rule("gloss_open", _render_open)
    md.add_render_rule("gloss_close", _render_close)


def explicit_key(tail: re.Match[str]) -> str:
    """The key an explicit gloss names, as written (quotes and spaces around it removed)."""
    return next(g for g in tail.groups() if g is not None).strip()


def _explicit_gloss(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if state.src[start] != "[" or state.src.find("]{", start) < 0:
        return False  # no gloss tail ahead: not worth parsing a label (every link has one)
    label_end = parseLinkLabel(state, start, True)
    if label_end < 0:
        return False
    tail = EXPLICIT_TAIL.match(state.src, label_end)
    if tail is None:
        return False
    if not silent:
        opener = state.push("gloss_open", "span", 1)
        opener.meta = {"key": explicit_key(tail), "explicit": True}
        old_max = state.posMax
        state.pos, state.posMax = start + 1, label_end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("gloss_close", "span", -1)
    state.pos = tail.end()
    return True


class _Once:
    """Which keys glossed only once (per reading or section) have been glossed already."""

    __slots__ = ("policy", "seen")

    def __init__(self, policy: dict[str, str]) -> None:
        self.policy = policy
        self.seen: set[str] = set()

    def section(self) -> None:
        self.seen -= {k for k, scope in self.policy.items() if scope == "section"}

    def allow(self, key: str) -> bool:
        if key not in self.policy:
            return True
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def _auto_gloss(state: StateCore, matcher: GlossMatcher, once: _Once | None) -> None:
    # The runs of the whole reading are searched together (GlossMatcher.find_joined), then the
    # matches are handed to their text tokens in reading order, with explicit glosses and
    # headings in between for the glossed-once policy.
    runs = _Runs(once is not None)
    for block in state.tokens:
        if block.type == "inline" and block.children:
            runs.collect(block.children)
        elif once is not None and block.type == "heading_open":
            runs.marks.append((runs.at, None))
    found = matcher.find_joined(runs.texts)
    if once is not None:
        found = _allowed(found, runs.marks, once)
    if found:
        _mark(runs, found)


class _Runs:
    """The runs of text of a reading, as ``find_joined`` searches them: ``texts``, and each of
    their tokens (text and line breaks) with where it ends in the joined text (``ends``), a
    separator after each run; ``marks``, where an explicit gloss (its key) or a heading (None)
    comes between them, for the glossed-once policy."""

    __slots__ = ("_marking", "at", "ends", "marks", "texts", "tokens")

    def __init__(self, marking: bool) -> None:
        self.texts: list[str] = []
        self.tokens: list[Token] = []
        self.ends: list[int] = []
        self.marks: list[tuple[int, str | None]] = []
        self.at = 0  # where the next run starts in the joined text
        self._marking = marking

    def collect(self, children: list[Token]) -> None:
        # Links and explicit glosses nest; a term inside either is left alone. Each token of a
        # run is listed as it comes; a run that is a line break alone is taken back.
        depth = 0
        tokens, ends = self.tokens, self.ends
        pieces: list[str] = []  # the texts of the current run
        at = self.at
        for child in children:
            kind = child.type
            if depth == 0:
                if kind == "text":
                    content = child.content
                    at += len(content)
                    tokens.append(child)
                    ends.append(at)
                    pieces.append(content)
                    continue
                if kind in _BREAKS:
                    at += 1
                    tokens.append(child)
                    ends.append(at)
                    pieces.append("\n")
                    continue
                if kind in _TRANSPARENT:
                    continue
            if pieces:
                at = self._end_run(pieces, at)
                pieces = []
            if kind in ("link_open", "gloss_open"):
                if kind == "gloss_open" and depth == 0 and self._marking:
                    self.marks.append((self.at, str(child.meta["key"])))
                depth += 1
            elif kind in ("link_close", "gloss_close"):
                depth -= 1
        if pieces:
            self._end_run(pieces, at)

    def _end_run(self, pieces: list[str], at: int) -> int:
        """Close the run of ``pieces``, which ends at ``at``: where the next run starts."""
        if len(pieces) == 1 and pieces[0] == "\n" and self.tokens[-1].type != "text":
            self.tokens.pop()  # a line break alone
            self.ends.pop()
            return self.at
        self.texts.append(pieces[0] if len(pieces) == 1 else "".join(pieces))
        self.at = at + len(SEPARATOR)
        return self.at


def _allowed(
    found: list[tuple[str, int, int]], marks: list[tuple[int, str | None]], once: _Once
) -> list[tuple[str, int, int]]:
    """The matches the glossed-once policy keeps, taken in reading order with the explicit
    glosses and headings between them (a mark comes before every match of a later run)."""
    allowed: list[tuple[str, int, int]] = []
    m = 0
    for match in found:
        while m < len(marks) and marks[m][0] <= match[1]:
            _apply(once, marks[m][1])
            m += 1
        if once.allow(match[0]):
            allowed.append(match)
    for _, mark in marks[m:]:
        _apply(once, mark)
    return allowed


def _apply(once: _Once, mark: str | None) -> None:
    if mark is None:
        once.section()
    else:
        once.allow(mark)


def _mark(runs: _Runs, found: list[tuple[str, int, int]]) -> None:
    # Matches ride on their text tokens (meta["glosses"]: key, start, end in the token) instead
    # of splitting them into new tokens: building three tokens per term was a fifth of a long
    # reading's cost. A match across emphasis is one piece per text token, each after the first
    # with meta["continues"].
    tokens, ends = runs.tokens, runs.ends
    count = len(tokens)
    for key, start, end in found:
        i = bisect_right(ends, start)  # the first token ending after the match starts
        token = tokens[i]
        stop = ends[i]
        if end <= stop and token.type == "text":  # the match lies in one token: the usual case
            begin = stop - len(token.content)
            _add_gloss(token, (key, start - begin, end - begin), False)
            continue
        first = True
        while i < count:
            token = tokens[i]
            stop = ends[i]
            begin = stop - (len(token.content) if token.type == "text" else 1)
            if begin >= end:
                break
            i += 1
            if token.type != "text":
                continue
            _add_gloss(token, (key, max(start, begin) - begin, min(end, stop) - begin), not first)
            first = False


def _add_gloss(token: Token, entry: tuple[str, int, int], continues: bool) -> None:
    meta = token.meta
    if not meta:
        token.meta = meta = {}
    glosses = meta.get("glosses")
    if glosses is None:
        meta["glosses"] = [entry]
    else:
        glosses.append(entry)
    if continues:
        meta["continues"] = True


def render_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """The rule for text tokens: escaped, the automatic glosses they carry as spans."""
    token = tokens[idx]
    glosses = token.meta.get("glosses") if token.meta else None
    if not glosses:
        return escapeHtml(token.content)
    return glossed_html(token.content, glosses)


def glossed_html(content: str, glosses: Sequence[tuple[str, int, int]]) -> str:
    """``content`` escaped, each of ``glosses`` (key, start, end) in a gloss span."""
    out: list[str] = []
    pos = 0
    if "&" in content or "<" in content or ">" in content or '"' in content:  # escapeHtml's
        for key, start, end in glosses:
            out += (escapeHtml(content[pos:start]), _opening(key))
            out += (escapeHtml(content[start:end]), "</span>")
            pos = end
        out.append(escapeHtml(content[pos:]))
    else:  # most runs of text hold nothing to escape, and so do their pieces
        for key, start, end in glosses:
            out += (content[pos:start], _opening(key), content[start:end], "</span>")
            pos = end
        out.append(content[pos:])
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _opening(key: str) -> str:
    return f'<span class="ar-gloss" data-gloss="{escapeHtml(key)}">'


def _render_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _opening(str(tokens[idx].meta["key"]))


def _render_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "</span>"
