// The Undo toast after a delete (WCAG 2.2.1): it stands in the deleted card's place, lasts 30 s,
// waits while the focus is on it, and gives the focus back to a card, never to the page's body.
import assert from "node:assert/strict";
import { mock, test } from "node:test";
import { Cards } from "../../reader_ext/widget/static/cards.js";
import { page } from "./dom.js";

test("the toast takes the card's place, waits while focused, then focuses the next card", async () => {
  const body = page(
    '<div class="ar-side"><ol class="ar-list">' +
      '<li class="ar-card" data-anno="a" tabindex="-1">A</li>' +
      '<li class="ar-card" data-anno="b" tabindex="-1">B</li></ol></div>',
  );
  Object.assign(globalThis, { CSS: { escape: (/** @type {string} */ s) => s } });
  /** @type {string[]} */
  const focused = [];
  const channel = {
    request: async () => {
      body.querySelector('[data-anno="a"]')?.remove(); // the list is redrawn without it
      return { type: "deleted", req: 1, id: "a" };
    },
  };
  const where = /** @type {any} */ ({
    lesson: { uri: "u", prompts: [] },
    uid: "t",
    channel,
    root: body,
    announce: () => {},
  });
  const cards = new Cards(where, {
    flash: () => {},
    focusCard: (id) => focused.push(id),
    focusList: () => focused.push("list"),
  });
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    await cards.delete(/** @type {any} */ ({ id: "a", kind: "note", body: "", mine: true }));
    const list = /** @type {Element} */ (body.querySelector(".ar-list"));
    assert.equal(list.firstElementChild?.className, "ar-toast-slot"); // where "a" was
    assert.equal(globalThis.document.activeElement?.className, "ar-undo");
    // The focus is on Undo: 12 s, then 30 s, pass and it is still there.
    mock.timers.tick(31_000);
    assert.equal(cards.toast.hidden, false);
    // The focus leaves it: 30 s later it goes.
    /** @type {HTMLElement} */ (globalThis.document.activeElement).blur();
    cards.toast.dispatchEvent(new (/** @type {any} */ (body.ownerDocument.defaultView).FocusEvent)("focusout"));
    mock.timers.tick(1);
    mock.timers.tick(29_000);
    assert.equal(cards.toast.hidden, false);
    mock.timers.tick(1_001);
    assert.equal(cards.toast.hidden, true);
    assert.equal(list.querySelector(".ar-toast-slot"), null);
  } finally {
    mock.timers.reset();
  }
  // Dismissed with the focus on it: the focus goes to the card that followed.
  await cards.delete(/** @type {any} */ ({ id: "b", kind: "note", body: "", mine: true }));
  /** @type {HTMLElement} */ (cards.toast.querySelector(".ar-toast-close")).click();
  assert.deepEqual(focused, ["list"]);
});
