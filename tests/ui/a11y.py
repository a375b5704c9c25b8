"""The accessibility audit of the widget in a real JupyterLab, in one place for every test.

Inside JupyterLab the widget sits in clipped, scrolling panels (the notebook's windowed list,
`contain: strict` panels, `overflow: auto` everywhere), so axe-core judges almost all of it
off-screen: it checks a handful of nodes and reports colour contrast as "inapplicable". `unclipped`
lifts that clipping for the length of a scan (every ancestor of the widget gets `overflow: visible`
and `contain: none`, so do the widget's own scrolling panes, and the window is made as tall as the
widget), and `audit` asserts that axe
really looked at the widget before it trusts an empty list of violations.

`contrast` measures the WCAG contrast of computed colours, compositing translucent backgrounds over
what is really behind them, for the pairs axe cannot judge (borders, underlines, focus rings).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

SERIOUS = ("serious", "critical")
EVERY_IMPACT = ("minor", "moderate", *SERIOUS)
# What the widget must be for axe to have seen it: contrast judged on at least this many nodes.
MIN_CONTRAST_NODES = 20
WIDGET = ".ar-reader"
POPUP = ".ar-gloss-popup"

_UNCLIP_JS = """
(selector) => {
  const root = document.querySelector(selector);
  if (!root) throw new Error(`no ${selector} to unclip`);
  const saved = [];
  for (let el = root.parentElement; el; el = el.parentElement) {
    saved.push([el, el.getAttribute("style")]);
    el.style.setProperty("overflow", "visible", "important");
    el.style.setProperty("contain", "none", "important");
    el.style.setProperty("content-visibility", "visible", "important");
    el.style.setProperty("max-height", "none", "important");
  }
  // The widget's own scrolling panes (the side list, the reading's pane) open out too.
  for (const el of root.querySelectorAll("*")) {
    const s = getComputedStyle(el);
    if (!/auto|scroll/.test(s.overflowX + s.overflowY)) continue;
    saved.push([el, el.getAttribute("style")]);
    el.style.setProperty("overflow", "visible", "important");
    el.style.setProperty("max-height", "none", "important");
    el.style.setProperty("height", "auto", "important");
  }
  window.__arUnclipped = saved;
  const box = root.getBoundingClientRect();
  return Math.ceil(box.bottom + window.scrollY + 40);
}
"""

_RESTORE_JS = """
() => {
  for (const [el, style] of window.__arUnclipped ?? []) {
    if (style === null) el.removeAttribute("style");
    else el.setAttribute("style", style);
  }
  delete window.__arUnclipped;
}
"""

NEXT_FRAME_JS = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"


@contextmanager
def unclipped(page: Page, selector: str = WIDGET) -> Iterator[None]:
    """The whole widget laid out on screen at once, for as long as the block runs."""
    viewport = page.viewport_size
    scroll = page.evaluate("() => [window.scrollX, window.scrollY]")
    bottom = page.evaluate(_UNCLIP_JS, selector)
    width = viewport["width"] if viewport else 1280
    page.set_viewport_size({"width": width, "height": min(max(bottom, 900), 16_000)})
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate(NEXT_FRAME_JS)
    try:
        yield
    finally:
        page.evaluate(_RESTORE_JS)
        if viewport:
            page.set_viewport_size(viewport)
        page.evaluate("([x, y]) => window.scrollTo(x, y)", scroll)
        page.evaluate(NEXT_FRAME_JS)


def axe_results(page: Page, scope: str | None = None) -> dict[str, Any]:
    """axe-core's full results for the widget (and its gloss popup), or for `scope`."""
    context = {"include": [[scope]] if scope else [[WIDGET], [POPUP]]}
    results: dict[str, Any] = Axe().run(page, context=context, options={}).response
    return results


def rule_nodes(results: dict[str, Any], rule: str) -> dict[str, int]:
    """How many nodes axe put in each outcome for `rule`."""
    counts = {}
    for outcome in ("passes", "violations", "incomplete", "inapplicable"):
        for r in results.get(outcome, []):
            if r["id"] == rule:
                counts[outcome] = len(r["nodes"]) if outcome != "inapplicable" else 1
    return counts


def audit(
    page: Page, scope: str | None = None, *, impacts: tuple[str, ...] = SERIOUS
) -> list[dict[str, Any]]:
    """The axe violations of the widget (serious and critical unless `impacts` says otherwise),
    after checking that axe saw it; with a `scope` (another page, such as the HTML report), of
    that scope as it is."""
    if scope is not None:
        results = axe_results(page, scope)
        assert results.get("passes"), "axe checked nothing: is the scope right?"
        return [v for v in results["violations"] if v["impact"] in impacts]
    for _attempt in (1, 2):
        with unclipped(page):
            results = axe_results(page)
            # What a person would see at the widget's middle (a JupyterLab dialog over it?).
            on_top = page.evaluate(_ON_TOP_JS)
        seen = rule_nodes(results, "color-contrast")
        judged = seen.get("passes", 0) + seen.get("violations", 0)
        if judged >= MIN_CONTRAST_NODES:
            break
        # Once, on a loaded machine, axe found all 450 nodes "incomplete" as if something
        # covered the widget for a moment: look once more before calling the scan blind.
        page.wait_for_timeout(1_000)
    assert results.get("passes"), "axe checked nothing: is the scope right?"
    assert judged >= MIN_CONTRAST_NODES, (
        f"axe judged the colour contrast of only {judged} nodes ({seen}), twice: it cannot see "
        f"the widget, so its silence proves nothing (on top at its middle: {on_top})"
    )
    return [v for v in results["violations"] if v["impact"] in impacts]


_ON_TOP_JS = """() => {
  const root = document.querySelector(".ar-reader");
  if (!root) return "no reader";
  const r = root.getBoundingClientRect();
  const y = Math.min(r.top + 200, innerHeight - 1);
  const el = document.elementFromPoint(r.left + r.width / 2, y);
  return el ? `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}` : "nothing";
}"""


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        for n in v["nodes"][:30]:
            summary = " ".join(n.get("failureSummary", "").split())
            lines.append(f"    {n['target']}: {summary[:300]}")
    return "\n".join(lines)


# --- contrast measured on computed colours ------------------------------------------------------

# WCAG 2 contrast between two computed colours of elements: `fore` is a colour property of `el`
# (color, border-bottom-color, outline-color, text-decoration-color, background-color); the back is
# the backgrounds of `back` (or `el`) and its ancestors composited up to the first opaque one, over
# the page's own background. Translucent foregrounds are composited over that back. Colours are
# parsed by a canvas, so any CSS colour syntax (color-mix, oklch, rgb / a) works.
_CONTRAST_JS = """
([el, prop, backEl]) => {
  const ctx = document.createElement("canvas").getContext("2d", {willReadFrequently: true});
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "#000";
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, bottom) =>
    top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3]));
  const backing = (node) => {
    const layers = [];
    for (; node; node = node.parentElement) {
      const bg = rgba(getComputedStyle(node).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let back = rgba(getComputedStyle(document.body).backgroundColor);
    back = back[3] >= 1 ? back.slice(0, 3) : [255, 255, 255];
    for (const layer of layers.reverse()) back = over(layer, back);
    return back;
  };
  const back = backing(backEl ?? (prop === "background-color" ? el.parentElement : el));
  const fore = over(rgba(getComputedStyle(el).getPropertyValue(prop)), back);
  const lum = (rgb) => {
    const [r, g, b] = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [hi, lo] = [lum(fore), lum(back)].sort((a, b) => b - a);
  return {
    ratio: (hi + 0.05) / (lo + 0.05),
    fore: fore.map(Math.round),
    back: back.map(Math.round),
  };
}
"""


def contrast(
    element: Locator, prop: str = "color", against: Locator | None = None
) -> dict[str, Any]:
    """The contrast of `element`'s computed `prop` colour against the background behind it
    (or behind `against`): {"ratio", "fore", "back"}."""
    back = against.element_handle() if against is not None else None
    result: dict[str, Any] = element.evaluate(
        "(el, [prop, back]) => (" + _CONTRAST_JS + ")([el, prop, back])", [prop, back]
    )
    return result
