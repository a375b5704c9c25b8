// The instructor's "hide until posted" panel (class mode) in a real (jsdom) DOM: what it says a
// setting means, what a filled form asks the kernel for, and what it shows of the answer.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { localInput, revealPanel, revealText, settingFrom } from "../../reader_ext/widget/static/reveal.js";
import { page } from "./dom.js";

/** @import { GetRevealMessage, Reply, SetRevealMessage } from "../../reader_ext/widget/static/protocol" */

describe("what a setting means for students", () => {
  test("at once, after posts, from a time, or whichever first", () => {
    assert.equal(revealText({ after_posts: null, at: null }), "Students see their classmates’ notes at once.");
    assert.equal(
      revealText({ after_posts: 1, at: null }),
      "Students see their classmates’ notes once they have posted 1 note or answer here.",
    );
    assert.match(revealText({ after_posts: 2, at: "2026-12-02T10:00:00Z" }), /posted 2 notes or answers here, or from .+\.$/);
  });

  test("a form asks for what is ticked, and says what to fix", () => {
    assert.deepEqual(settingFrom({ posts: false, count: "1", timed: false, when: "" }), {
      after_posts: null,
      at: null,
    });
    assert.deepEqual(settingFrom({ posts: true, count: "3", timed: false, when: "" }), { after_posts: 3, at: null });
    assert.equal(settingFrom({ posts: true, count: "0", timed: false, when: "" }), "Give a number of posts from 1 to 50.");
    assert.equal(settingFrom({ posts: true, count: "2.5", timed: false, when: "" }), "Give a number of posts from 1 to 50.");
    assert.equal(settingFrom({ posts: false, count: "", timed: true, when: "" }), "Give the date and time to show them from.");
    const timed = settingFrom({ posts: false, count: "", timed: true, when: "2026-12-02T10:00" });
    assert.ok(typeof timed !== "string" && timed.at && timed.at.endsWith("Z"));
    // The time is the browser's local one, shown back as the input would take it.
    assert.ok(typeof timed !== "string" && timed.at && localInput(timed.at) === "2026-12-02T10:00");
  });
});

describe("the panel", () => {
  test("asks the service when opened, sets what the form says, and says so", async () => {
    const body = page("");
    const { Event } = /** @type {Window & typeof globalThis} */ (body.ownerDocument.defaultView);
    /** @type {(GetRevealMessage | SetRevealMessage)[]} */
    const sent = [];
    /** @type {string[]} */
    const said = [];
    /** @param {GetRevealMessage | SetRevealMessage} msg @returns {Promise<Reply>} */
    const request = async (msg) => {
      sent.push(msg);
      const reveal =
        msg.type === "set-reveal" ? { after_posts: msg.after_posts, at: msg.at } : { after_posts: null, at: null };
      return { type: "reveal", req: 1, reveal };
    };
    const { el } = revealPanel("u1", request, (text) => said.push(text));
    body.append(el);
    const details = /** @type {HTMLDetailsElement} */ (el);
    details.open = true;
    details.dispatchEvent(new Event("toggle"));
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(sent, [{ type: "get-reveal" }]);
    const state = /** @type {HTMLElement} */ (el.querySelector(".ar-reveal-state"));
    assert.equal(state.textContent, "Students see their classmates’ notes at once.");
    const count = /** @type {HTMLInputElement} */ (el.querySelector(".ar-reveal-count"));
    count.value = "2";
    count.dispatchEvent(new Event("input"));
    const form = /** @type {HTMLFormElement} */ (el.querySelector("form"));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(sent[1], { type: "set-reveal", after_posts: 2, at: null });
    assert.match(state.textContent ?? "", /once they have posted 2 notes or answers here\.$/);
    assert.match(said[0] ?? "", /^Set: Students see/);
  });

  test("a refusal is said in the form", async () => {
    const body = page("");
    const { Event } = /** @type {Window & typeof globalThis} */ (body.ownerDocument.defaultView);
    /** @returns {Promise<Reply>} */
    const request = async () => ({ type: "error", req: 1, message: "only instructors set when notes are revealed" });
    const { el } = revealPanel("u2", request, () => {});
    body.append(el);
    const form = /** @type {HTMLFormElement} */ (el.querySelector("form"));
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    const status = /** @type {HTMLElement} */ (el.querySelector(".ar-reveal-status"));
    assert.equal(status.textContent, "only instructors set when notes are revealed");
  });
});
