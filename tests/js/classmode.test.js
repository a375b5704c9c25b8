// Class mode's words and choices in a real (jsdom) DOM: why notes are hidden, who sees a card,
// the instructor's 1:1 choice (which asks which student), and the news line of live feedback.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hiddenText, newsLine } from "../../reader_ext/widget/static/classnotices.js";
import { audienceLabel, canGiveFeedback, visibilityChoice } from "../../reader_ext/widget/static/visibility.js";
import { page } from "./dom.js";

/** @import { AnnotationView, RosterPayload } from "../../reader_ext/widget/static/protocol" */

/**
 * @param {Partial<AnnotationView>} fields
 * @returns {AnnotationView}
 */
function view(fields) {
  return /** @type {AnnotationView} */ ({
    id: "a1", kind: "note", author: "ana", mine: false, created: "", modified: "", body: "",
    body_html: "", tags: [], quote: null, start: 0, end: 1, anchor: "exact", reply_to: null,
    prompt: null, comment: null, visibility: "class", for_group: null, for_student: null,
    ...fields,
  });
}

/** @type {RosterPayload} */
const ROSTER = {
  students: ["ana", "ben", "cem", "dee"],
  groups: [{ name: "section-a", students: ["ana", "ben"] }, { name: "section-b", students: ["cem"] }],
  complete: true,
};

describe("why classmates' notes are hidden", () => {
  test("the posts it takes, how many are left, and the time", () => {
    assert.equal(
      hiddenText({ after_posts: 1, own_posts: 0, at: null }),
      "Your classmates’ notes are hidden for now: they appear once you have posted 1 note or answer here.",
    );
    assert.match(hiddenText({ after_posts: 3, own_posts: 1, at: null }), /posted 3 notes or answers here \(2 more to go\)\.$/);
    assert.match(hiddenText({ after_posts: null, own_posts: 0, at: "2026-12-01T18:00:00Z" }), /they appear at .+\.$/);
  });
});

describe("who sees a card", () => {
  test("private feedback is said as such, to the student and to the instructor", () => {
    const feedback = view({ author: "prof", visibility: "instructors", for_student: "ana" });
    assert.equal(audienceLabel(feedback, false), "Private feedback from prof: only you and the instructors see it");
    assert.equal(audienceLabel({ ...feedback, mine: true }, true), "Private feedback to ana (1:1)");
    assert.equal(audienceLabel(view({ visibility: "group", for_group: "section-a" }), false), "Discussion group section-a");
    assert.equal(audienceLabel(view({}), false), ""); // the class's: nothing to say
  });

  test("feedback is offered on a student's shared note only, and only to an instructor", () => {
    assert.ok(canGiveFeedback(view({}), ROSTER));
    assert.ok(!canGiveFeedback(view({}), null)); // a student
    assert.ok(!canGiveFeedback(view({ visibility: "instructors", for_student: "ana" }), ROSTER));
    assert.ok(!canGiveFeedback(view({ author: "prof2" }), ROSTER)); // not a student's
  });
});

describe("the instructor's 1:1 choice", () => {
  test("asks which student, by group, and sends the one chosen", () => {
    const body = page("<div></div>");
    const choices = [
      { visibility: /** @type {const} */ ("class"), group: null, label: "The class", default: true },
      { visibility: /** @type {const} */ ("instructors"), group: null, label: "One student, privately (1:1)", default: false },
    ];
    const control = visibilityChoice("t", choices, ROSTER);
    assert.ok(control.element);
    body.append(control.element);
    const [menu, which] = /** @type {HTMLSelectElement[]} */ ([...body.querySelectorAll("select")]);
    assert.ok(menu && which);
    const box = /** @type {HTMLElement} */ (which.parentElement);
    assert.equal(box.hidden, true); // only for the 1:1 choice
    menu.value = "1";
    const window = /** @type {Window & typeof globalThis} */ (body.ownerDocument.defaultView);
    menu.dispatchEvent(new window.Event("change"));
    assert.equal(box.hidden, false);
    const groups = [...which.querySelectorAll("optgroup")].map((g) => g.label);
    assert.deepEqual(groups, ["section-a", "section-b", "In no discussion group"]);
    which.value = "cem";
    assert.deepEqual(control.value(), { visibility: "instructors", student: "cem" });
  });
});

describe("the news line", () => {
  test("Show it shows, and the line goes", () => {
    const body = page("<div></div>");
    const line = newsLine();
    body.append(line.el);
    let shown = 0;
    line.tell("New private feedback from prof.", () => shown++, () => {});
    const show = /** @type {HTMLButtonElement} */ (line.el.querySelector(".ar-news-show"));
    assert.equal(show.getAttribute("aria-label"), "Show it: New private feedback from prof.");
    show.click();
    assert.equal(shown, 1);
    assert.equal(line.el.hidden, true);
  });
});
