// Class mode: who sees a new note. One labelled <select> built from the choices the kernel sends
// in its snapshot (the course's visibilities and the reader's discussion groups); outside class
// mode there are none and no control is shown. The class service checks every choice again.

/** @import { AudienceChoice } from "./protocol" */
import { h } from "./dom.js";

let controls = 0;

/**
 * The control, and what to add to a `create` request; `element` is null without choices.
 * @param {string} uid the widget instance, for unique ids
 * @param {AudienceChoice[]} choices
 * @returns {{element: HTMLElement | null, value: () => {visibility?: string, group?: string}}}
 */
export function visibilityChoice(uid, choices) {
  if (choices.length === 0) return { element: null, value: () => ({}) };
  const field = h("div", "ar-editor-visibility");
  const select = h("select", "ar-visibility");
  select.id = `${uid}-vis${++controls}`;
  const label = h("label", "ar-editor-label", "Who sees this note");
  label.htmlFor = select.id;
  choices.forEach((choice, index) => {
    const option = h("option", "", choice.label);
    option.value = String(index);
    option.selected = choice.default;
    select.append(option);
  });
  field.append(label, select);
  return {
    element: field,
    value: () => {
      const choice = choices[Number(select.value)] ?? choices.find((c) => c.default);
      if (!choice) return {};
      const { visibility, group } = choice;
      return group ? { visibility, group } : { visibility };
    },
  };
}
