// Where the page says what went wrong (or right), in plain words.

/** Shows a message in an element (hidden when the text is empty). kind: "error", "info" or "warning". */
export function say(element, text, kind = "error") {
  const el = typeof element === "string" ? document.getElementById(element) : element;
  el.textContent = text || "";
  el.hidden = !text;
  el.dataset.kind = kind;
}

/** The words of an Error (or anything thrown). */
export const words = (e) => (e && e.message) || String(e);
