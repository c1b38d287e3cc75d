// Where the page says what went wrong (or right), in plain words.

/** What a request says when no server answers (api.js); such a message clears itself once one does. */
export const UNREACHABLE = "The server cannot be reached. Is `rnn serve` still running?";

/** Shows a message in an element (hidden when the text is empty). kind: "error", "info" or "warning". */
export function say(element, text, kind = "error") {
  const el = typeof element === "string" ? document.getElementById(element) : element;
  el.textContent = text || "";
  el.hidden = !text;
  el.dataset.kind = kind;
  el.dataset.unreachable = String(!!text && text.includes(UNREACHABLE));
}

// api.js says when the server answers again: a "cannot be reached" left on screen is no longer true.
window.addEventListener("server-back", () => {
  for (const el of document.querySelectorAll("[data-unreachable=true]")) say(el, "");
});

/** The words of an Error (or anything thrown). */
export const words = (e) => (e && e.message) || String(e);
