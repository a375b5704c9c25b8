// Class mode: who sees a note. The editor's labelled <select> built from the choices the kernel
// sends in its snapshot (the course's visibilities and the reader's discussion groups; for an
// instructor, each group and "one student, privately", which asks which student); the choice
// of an instructor's reply (its thread, or private feedback to the student who wrote the note);
// and what a card says about who sees it. Outside class mode there are no choices and no control
// is shown. The class service checks every choice again.

/** @import { AnnotationView, AudienceChoice, RosterPayload } from "./protocol" */
import { h } from "./dom.js";

let controls = 0;

/**
 * A labelled <select> in the editor's visibility field.
 * @param {string} uid
 * @param {string} text
 */
function labelled(uid, text) {
  const select = h("select", "ar-visibility");
  select.id = `${uid}-vis${++controls}`;
  const label = h("label", "ar-editor-label", text);
  label.htmlFor = select.id;
  return { label, select };
}

/**
 * The roster's students as options, grouped by discussion group (a student in none last).
 * @param {HTMLSelectElement} select
 * @param {RosterPayload} roster
 */
function studentOptions(select, roster) {
  const placed = new Set();
  const option = (/** @type {string} */ name) => {
    const el = h("option", "", name);
    el.value = name;
    return el;
  };
  const first = h("option", "", "Choose a student…");
  first.value = "";
  select.append(first);
  for (const group of roster.groups) {
    const box = h("optgroup");
    box.label = group.name;
    for (const name of group.students) {
      box.append(option(name));
      placed.add(name);
    }
    if (group.students.length) select.append(box);
  }
  const rest = roster.students.filter((name) => !placed.has(name));
  if (rest.length) {
    const box = h("optgroup");
    box.label = roster.groups.length ? "In no discussion group" : "Students";
    box.append(...rest.map(option));
    select.append(box);
  }
}

/**
 * The control, and what to add to a `create` request; `element` is null without choices.
 * @param {string} uid the widget instance, for unique ids
 * @param {AudienceChoice[]} choices
 * @param {RosterPayload | null} [roster] an instructor's: the 1:1 choice asks which student
 * @returns {{element: HTMLElement | null,
 *   value: () => {visibility?: string, group?: string, student?: string}}}
 */
export function visibilityChoice(uid, choices, roster = null) {
  if (choices.length === 0) return { element: null, value: () => ({}) };
  const field = h("div", "ar-editor-visibility");
  const { label, select } = labelled(uid, "Who sees this note");
  choices.forEach((choice, index) => {
    const option = h("option", "", choice.label);
    option.value = String(index);
    option.selected = choice.default;
    select.append(option);
  });
  field.append(label, select);
  const chosen = () => choices[Number(select.value)] ?? choices.find((c) => c.default);
  // An instructor writing to one student: which one, right under the choice.
  const pick = roster ? labelled(uid, "Which student (only they and the instructors see it)") : null;
  if (pick && roster) {
    studentOptions(pick.select, roster);
    pick.select.required = true;
    const box = h("div", "ar-editor-student");
    box.append(pick.label, pick.select);
    field.append(box);
    const follow = () => {
      box.hidden = chosen()?.visibility !== "instructors";
    };
    select.addEventListener("change", follow);
    follow();
  }
  return {
    element: field,
    value: () => {
      const choice = chosen();
      if (!choice) return {};
      const { visibility, group } = choice;
      if (visibility === "instructors" && pick) return { visibility, student: pick.select.value };
      return group ? { visibility, group } : { visibility };
    },
  };
}

/**
 * An instructor's reply to a student's note: to the thread's readers, or private feedback.
 * @param {string} uid
 * @param {AnnotationView} a the note replied to
 * @returns {{element: HTMLElement, value: () => {visibility?: string}}}
 */
export function replyChoice(uid, a) {
  const field = h("div", "ar-editor-visibility");
  const { label, select } = labelled(uid, "Who sees this reply");
  const everyone = h("option", "", `Everyone who sees ${a.author}’s ${a.kind === "answer" ? "answer" : "note"}`);
  everyone.value = "thread";
  const feedback = h("option", "", `Only ${a.author} and the instructors (private feedback)`);
  feedback.value = "instructors";
  select.append(everyone, feedback);
  field.append(label, select);
  return {
    element: field,
    value: () => (select.value === "instructors" ? { visibility: "instructors" } : {}),
  };
}

/**
 * Whether an instructor may send private feedback on `a`: a student's note or answer, shared
 * with more than that student (a 1:1 thread is private already).
 * @param {AnnotationView} a
 * @param {RosterPayload | null} roster the instructor's (null for a student, or offline)
 */
export function canGiveFeedback(a, roster) {
  if (!roster || a.mine || !a.visibility || a.visibility === "instructors") return false;
  return !roster.complete || roster.students.includes(a.author);
}

/**
 * What a card says about who sees it, in class mode ("" where it is the class's, or offline).
 * @param {AnnotationView} a
 * @param {boolean} instructor whether the reader is one of the course's instructors
 */
export function audienceLabel(a, instructor) {
  if (a.visibility === "instructors") {
    const student = a.for_student || a.author;
    if (instructor) {
      return a.author === student ? `1:1 with the instructors: from ${student}` : `Private feedback to ${student} (1:1)`;
    }
    return a.mine ? "Private: only you and the instructors" : `Private feedback from ${a.author}: only you and the instructors see it`;
  }
  if (a.visibility === "private") {
    return a.mine ? "Only you and the instructors" : `Private: only ${a.author} and the instructors`;
  }
  if (a.visibility === "group") return `Discussion group${a.for_group ? ` ${a.for_group}` : ""}`;
  return "";
}
