"""``report.html``: the class report as one self-contained, accessible page.

Everything is inline (CSS, heat maps as ``data:`` URIs) and nothing runs: the file can be mailed,
archived or opened offline, and opening it fetches nothing. Student text is hostile input to this
page: answers are shown as :attr:`Answer.html <reader_ext.course.report_model.Answer.html>`, the
reader's own rendering of a note (:func:`reader_ext.text.markup.render_note`: raw HTML off,
sanitised, images dropped — a Markdown image in a student's answer would otherwise make the
instructor's browser fetch a URL of the student's choosing), which the report takes from the
class store's cache only where this user's seal proves it made it from that very text
(:func:`reader_ext.widget.session.rendered_notes`). A prompt's question goes through
:func:`reader_ext.text.markup.render_markdown` and :func:`_no_media`; every other string is
escaped with :func:`html.escape`.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

from reader_ext.course.heatmap import NOTE_LINE, SHADES, Heat, heat_html, legend
from reader_ext.course.report_model import (
    MAX_OPENS_PER_STUDENT,
    STRAY_SHOWN,
    ClassReport,
    ModuleReport,
    StudentStats,
)
from reader_ext.text.markup import render_markdown, sanitize

_COLUMNS = (
    ("annotations", "Highlights and notes"),
    ("replies", "Replies"),
    ("prompts_answered", "Prompts answered"),
    ("words", "Words written"),
    ("glosses_opened", "Glosses opened"),
    ("last_activity", "Last activity"),
)

_CSS = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1b1b; --muted: #4a4a4a;
  --line: #c8c8c8; --card: #f5f5f5; --link: #0645ad; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16181c; --fg: #ececec; --muted: #c2c2c2; --line: #4a4d52; --card: #23262b;
    --link: #9cc2ff; }
}
body { background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, sans-serif;
  margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 4rem; }
a { color: var(--link); }
h1, h2, h3, h4 { line-height: 1.25; }
h2 { border-top: 2px solid var(--line); padding-top: 1rem; margin-top: 2.5rem; }
.muted { color: var(--muted); }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.6rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.reading { max-width: 48rem; }
.reading .heading { font-weight: 700; }
.reading span { border-radius: 2px; }
.legend { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; padding: 0; list-style: none; }
.swatch { display: inline-block; width: 1em; height: 1em; vertical-align: -0.15em;
  border: 1px solid #777; margin-right: 0.3em; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); }
.answers { display: grid; gap: 0.75rem; margin-bottom: 1.5rem;
  grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); }
.answer { background: var(--card); border: 1px solid var(--line); border-radius: 6px;
  padding: 0.5rem 0.8rem; overflow-wrap: anywhere; }
.answer .who { font-weight: 600; margin: 0 0 0.25rem; }
.question { border-left: 4px solid var(--line); padding-left: 0.8rem; }
"""


def render_html(data: ClassReport) -> str:
    """The whole report page."""
    e = _esc
    shades = "\n".join(
        f".h{level} {{ background: {back}; color: {fore}; }}"
        for level, (back, fore) in enumerate(SHADES)
        if level
    )
    shades += (
        f"\n.noted {{ text-decoration: underline 2px {NOTE_LINE}; text-underline-offset: 3px; }}"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No scripts, no outside requests: the page is a document, not an application.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">",
        f"<title>{e(data.title)}</title>",
        f"<style>{_CSS}\n{shades}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{e(data.title)}</h1>",
        f'<p class="muted">{len(data.students)} students, '
        f"{sum(m.annotations for m in data.modules)} annotations, "
        f"{len(data.modules)} module(s); from {e(data.store.name)}, made {e(data.generated)}.</p>",
    ]
    unknown_annotations, unknown_events = data.unknown
    if unknown_annotations or unknown_events:
        parts.append(
            f'<p class="muted">Not in this report: {unknown_annotations} annotation(s) and '
            f"{unknown_events} event(s) on lessons that are not the course's (or on no "
            "lesson).</p>"
        )
    parts += [
        "<h2>Students</h2>",
        _stats_table(data.totals, "Every student across all modules"),
    ]
    if data.modules:
        parts.append('<nav aria-label="Modules"><ul>')
        parts += [f'<li><a href="#m-{e(m.name)}">{e(m.title)}</a></li>' for m in data.modules]
        parts.append("</ul></nav>")
    for module in data.modules:
        parts.append(_module(module, len(data.students)))
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _module(module: ModuleReport, students: int) -> str:
    e = _esc
    parts = [
        f'<section aria-labelledby="m-{e(module.name)}">',
        f'<h2 id="m-{e(module.name)}">{e(module.title)}</h2>',
        f'<p class="muted">{module.annotations} annotations on <code>{e(module.uri)}</code>.</p>',
        "<h3>Where the class annotated</h3>",
    ]
    lesson = module.lesson
    if lesson is None or module.heat is None:
        parts.append(
            "<p>The lesson's text was not found, so there is no heat map: give the course "
            "folder with <code>--lessons</code>.</p>"
        )
    else:
        parts.append(_heat_section(module, module.heat, students))
    parts.append("<h3>Students</h3>")
    parts.append(_stats_table(module.stats, f"Students in {module.title}"))
    parts.append("<h3>Answers to the prompts</h3>")
    parts.append(_answers(module))
    parts.append("<h3>Glosses opened</h3>")
    parts.append(_glosses(module, students))
    parts.append("</section>")
    return "\n".join(parts)


def _heat_section(module: ModuleReport, heat: Heat, students: int) -> str:
    e = _esc
    assert module.lesson is not None
    hot = heat.hottest()
    if hot is None:
        summary = "Nobody has highlighted or noted anything in this reading yet."
    else:
        start, end, count = hot
        quote = " ".join(heat.text[start:end].split())
        shown = quote if len(quote) <= 100 else quote[:97] + "…"
        summary = (
            f"{heat.annotators} of {students} students annotated this reading. The passage "
            f"annotated by the most students ({count}) reads: “{shown}”."
        )
    if heat.orphans:
        summary += (
            f" {heat.orphans} annotation(s) could not be placed: their passage is no longer in "
            "the text."
        )
    items = "".join(
        f'<li><span class="swatch h{level}"></span>{e(label)}</li>'
        for level, label in legend(students)
    )
    items += '<li><span class="noted">underlined</span>: someone wrote a note here</li>'
    parts = [f"<p>{e(summary)}</p>", f'<ul class="legend" aria-label="Key">{items}</ul>']
    if module.png is not None:
        data = base64.b64encode(module.png).decode("ascii")
        alt = f"Heat map of the reading of {module.title}. {summary}"
        parts += [
            "<figure>",
            f'<img src="data:image/png;base64,{data}" alt="{e(alt)}">',
            f"<figcaption>The image version (also saved as heatmap-{e(module.name)}.png)."
            "</figcaption>",
            "</figure>",
        ]
    parts += [
        "<details>",
        "<summary>The reading, shaded as text (hover a passage for its count)</summary>",
        f'<div class="reading">{heat_html(heat, module.lesson.document.blocks)}</div>',
        "</details>",
    ]
    return "\n".join(parts)


def _stats_table(rows: Sequence[StudentStats], caption: str) -> str:
    e = _esc
    if not rows:
        return "<p>No students yet.</p>"
    head = '<th scope="col">Student</th>' + "".join(
        f'<th scope="col">{e(label)}</th>' for _, label in _COLUMNS
    )
    body: list[str] = []
    for row in rows:
        cells = [f'<th scope="row">{e(row.student)}</th>']
        for name, _ in _COLUMNS:
            value = getattr(row, name)
            if name == "prompts_answered":
                which = f' <span class="muted">({e(row.answered_prompts)})</span>'
                which = which if row.answered_prompts else ""
                cells.append(f'<td class="num">{value} of {row.prompts}{which}</td>')
            elif isinstance(value, int):
                cells.append(f'<td class="num">{value}</td>')
            else:
                cells.append(f"<td>{e(value) or '—'}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><caption>{e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _answers(module: ModuleReport) -> str:
    e = _esc
    prompts = module.lesson.prompts if module.lesson else []
    known = {p.id for p in prompts}
    # Text order, numbered as the reader numbers them (Lesson.prompt_number), with the id.
    order: list[tuple[str, str | None, str | None]] = [(p.id, p.question, p.quote) for p in prompts]
    stray = sorted(pid for pid in module.answers if pid not in known)
    if not order and not stray:
        return "<p>This module has no prompts.</p>"
    parts: list[str] = []
    for pid, question, quote in order:
        answers = module.answers.get(pid, [])
        number = module.lesson.prompt_number(pid) if module.lesson else None
        parts.append(f"<h4>Prompt {number} <code>{e(pid)}</code></h4>")
        if quote:
            parts.append(f'<p class="muted">At “{e(quote)}”</p>')
        if question:
            parts.append(f'<div class="question">{_no_media(render_markdown(question))}</div>')
        who = len({a.student for a in answers})
        parts.append(f"<p>{who} student(s) answered.</p>")
        if answers:
            cards = "".join(
                f'<article class="answer" aria-label="{e(a.student)}">'
                f'<p class="who">{e(a.student)} <span class="muted">{e(a.created)}</span></p>'
                f"{a.html}</article>"
                for a in answers
            )
            parts.append(f'<div class="answers">{cards}</div>')
    if stray:
        parts.append(_stray_answers(module, stray))
    return "\n".join(parts)


def _stray_answers(module: ModuleReport, stray: list[str]) -> str:
    """One section for every answer to a prompt the lesson no longer has (never one a prompt)."""
    e = _esc
    answers = module.stray_answers()
    parts = [
        "<h4>Answers to prompts no longer in the lesson</h4>",
        f"<p>{len(answers)} answer(s) to {len(stray)} prompt id(s) the lesson does not have "
        "(a prompt renamed or removed since, or a store written by hand).</p>",
    ]
    cards = "".join(
        f'<article class="answer" aria-label="{e(a.student)}">'
        f'<p class="who">{e(a.student)} <span class="muted">{e(a.created)} · prompt '
        f"<code>{e(pid)}</code></span></p>{a.html}</article>"
        for pid, a in answers[:STRAY_SHOWN]
    )
    parts.append(f'<div class="answers">{cards}</div>')
    if len(answers) > STRAY_SHOWN:
        parts.append(f"<p>… and {len(answers) - STRAY_SHOWN} more, not shown.</p>")
    return "\n".join(parts)


def _glosses(module: ModuleReport, students: int) -> str:
    e = _esc
    if not module.glosses:
        return "<p>No glosses in this reading.</p>"
    rows = "".join(
        f'<tr><th scope="row">{e(g.term)} <span class="muted">({e(g.key)})</span></th>'
        f'<td class="num">{g.opens}</td><td class="num">{g.students} of {students}</td></tr>'
        for g in module.glosses
    )
    return (
        f"<table><caption>Glosses in {e(module.title)}, opened by most students first "
        f"(times opened counts at most {MAX_OPENS_PER_STUDENT} per student)</caption>"
        '<thead><tr><th scope="col">Gloss</th><th scope="col">Times opened</th>'
        '<th scope="col">Students who opened it</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _no_media(fragment: str) -> str:
    """Sanitised HTML minus anything that loads a resource (images): links stay links."""
    return sanitize(fragment, images=False)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)
