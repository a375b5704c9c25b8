// The accessibility patterns of a11y.js in a real (jsdom) DOM: the APG toolbar, names, excerpts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  excerpt,
  focusPassage,
  nameFor,
  rovingToolbar,
  scrollBehavior,
} from "../../reader_ext/widget/static/a11y.js";
import { page } from "./dom.js";

/** A toolbar of buttons a, b, c in a fresh page; the DOM's own classes made global. */
function toolbar() {
  const body = page('<div role="toolbar"><button>a</button><button>b</button><button>c</button></div>');
  const view = /** @type {Window & typeof globalThis} */ (body.ownerDocument.defaultView);
  Object.assign(globalThis, { MutationObserver: view.MutationObserver });
  const bar = /** @type {HTMLElement} */ (body.querySelector("[role=toolbar]"));
  const buttons = () => /** @type {HTMLElement[]} */ ([...bar.querySelectorAll("button")]);
  /** @param {string} key */
  const press = (key) => {
    const event = new view.KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
    view.document.activeElement?.dispatchEvent(event);
    return event;
  };
  const focused = () => view.document.activeElement?.textContent;
  return { bar, buttons, press, focused };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("rovingToolbar", () => {
  test("is one Tab stop, the first button", () => {
    const { bar, buttons } = toolbar();
    rovingToolbar(bar);
    assert.deepEqual(buttons().map((b) => b.tabIndex), [0, -1, -1]);
  });

  test("arrows move and wrap, Home and End go to the ends, the stop follows", () => {
    const { bar, buttons, press, focused } = toolbar();
    rovingToolbar(bar);
    buttons()[0]?.focus();
    assert.ok(press("ArrowRight").defaultPrevented);
    assert.equal(focused(), "b");
    assert.deepEqual(buttons().map((b) => b.tabIndex), [-1, 0, -1]);
    press("End");
    assert.equal(focused(), "c");
    press("ArrowRight");
    assert.equal(focused(), "a");
    press("ArrowLeft");
    assert.equal(focused(), "c");
    press("Home");
    assert.equal(focused(), "a");
    assert.ok(!press("x").defaultPrevented, "other keys are left alone");
  });

  test("skips hidden buttons and keeps one stop when buttons come later", async () => {
    const { bar, buttons, press, focused } = toolbar();
    rovingToolbar(bar);
    const b = /** @type {HTMLElement} */ (buttons()[1]);
    b.hidden = true;
    const late = bar.ownerDocument.createElement("button");
    late.textContent = "d";
    bar.append(late);
    await tick();
    assert.equal(late.tabIndex, -1);
    buttons()[0]?.focus();
    press("ArrowRight");
    assert.equal(focused(), "c");
  });

  test("leaves a key another handler took", () => {
    const { bar, buttons, press, focused } = toolbar();
    bar.addEventListener("keydown", (e) => e.preventDefault(), { capture: true });
    rovingToolbar(bar);
    buttons()[0]?.focus();
    press("ArrowRight");
    assert.equal(focused(), "a");
  });
});

describe("names and excerpts", () => {
  test("excerpt shortens at a word's end and flattens white space", () => {
    assert.equal(excerpt("free  trade\ntalks"), "free trade talks");
    assert.equal(excerpt("a".repeat(80), 10), `${"a".repeat(9)}…`);
  });

  test("nameFor keeps the visible text first", () => {
    const body = page("<button> Reply </button>");
    const button = /** @type {HTMLElement} */ (body.querySelector("button"));
    nameFor(button, "Ana’s comment");
    assert.equal(button.getAttribute("aria-label"), "Reply: Ana’s comment");
  });

  test("focusPassage makes a mark focusable by script only and says it", () => {
    const body = page("<p>x <mark>free trade talks</mark></p>");
    const mark = /** @type {HTMLElement} */ (body.querySelector("mark"));
    /** @type {string[]} */
    const said = [];
    focusPassage(mark, (t) => said.push(t));
    assert.equal(mark.getAttribute("tabindex"), "-1");
    assert.equal(body.ownerDocument.activeElement, mark);
    assert.deepEqual(said, ["Shown in the text: free trade talks"]);
  });

  test("scrolls smoothly where no preference can be read", () => {
    assert.equal(scrollBehavior(), "smooth");
  });
});
