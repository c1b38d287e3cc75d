// "Show the code": the Java source the page runs, beside the view that runs it. The web module's
// build copies core's files into /source/ (web/pom.xml), so what is shown is the very code that
// TeaVM compiled into this page's engine, not a copy kept by hand. A view says which blocks of which
// files its current step is running; the panel shows each file whole, with those lines marked and
// scrolled into sight.

const cache = new Map();   // path -> Promise of the file's lines

function lines(path) {
  if (!cache.has(path)) {
    cache.set(path, fetch("/source/" + path).then((r) => {
      if (!r.ok) throw new Error(`the source of ${path} is not served (HTTP ${r.status})`);
      return r.text();
    }).then((text) => text.replace(/\n$/, "").split("\n")));
  }
  return cache.get(path);
}

/**
 * The lines [first, last] (0-based) of the block that starts on the first line containing
 * `anchor` (a method's signature, a loop's head) and ends where its braces close.
 */
export function blockRange(source, anchor) {
  const first = source.findIndex((line) => line.includes(anchor));
  if (first < 0) return null;
  let depth = 0;
  let opened = false;
  for (let i = first; i < source.length; i++) {
    // braces inside comments and character literals do not count ('{' does not occur in core's strings)
    const code = source[i].replace(/\/\/.*$/, "").replace(/'.'/g, "");
    for (const ch of code) {
      if (ch === "{") { depth++; opened = true; }
      else if (ch === "}") depth--;
    }
    if (opened && depth === 0) return [first, i];
  }
  return null;
}

export class CodePanel {
  /**
   * details: a <details> element; its <summary> is the toggle. The panel renders into it when
   * opened, and again on every show() while open.
   */
  constructor(details) {
    this.details = details;
    this.body = Object.assign(document.createElement("div"), { className: "code-files" });
    details.append(this.body);
    this.wanted = [];
    this.generation = 0;
    details.addEventListener("toggle", () => { if (details.open) this.render(); });
  }

  /** blocks: [{path, anchor, caption}], the code the view's current step runs, in the order it runs. */
  show(blocks) {
    this.wanted = blocks;
    this.details.dataset.blocks = JSON.stringify(blocks.map((b) => b.path + "#" + b.anchor));
    if (this.details.open) this.render();
  }

  async render() {
    const generation = ++this.generation;
    this.details.dataset.state = "loading";
    try {
      const files = await Promise.all(this.wanted.map((b) => lines(b.path)));
      if (generation !== this.generation) return;
      this.body.replaceChildren(...this.wanted.map((b, i) => this.file(b, files[i])));
      for (const pre of this.body.querySelectorAll("pre")) {
        const mark = pre.querySelector(".current");
        if (mark) pre.scrollTop = mark.offsetTop - pre.offsetTop - 8;
      }
      this.details.dataset.state = "shown";
    } catch (e) {
      if (generation !== this.generation) return;
      this.body.replaceChildren(Object.assign(document.createElement("p"), { className: "message", textContent: String(e.message || e) }));
      this.details.dataset.state = "error";
    }
  }

  file({ path, anchor, caption }, source) {
    const range = blockRange(source, anchor);
    const figure = document.createElement("figure");
    figure.className = "code-file";
    figure.dataset.path = path;
    if (range) Object.assign(figure.dataset, { first: String(range[0] + 1), last: String(range[1] + 1) });
    const label = document.createElement("figcaption");
    label.append(Object.assign(document.createElement("code"), { textContent: "core/…/" + path }),
      document.createTextNode(range ? ` lines ${range[0] + 1}–${range[1] + 1}: ${caption}` : `: ${caption}`));
    const pre = document.createElement("pre");
    pre.tabIndex = 0;   // scrollable by keyboard
    pre.setAttribute("aria-label", `The source of ${path}`);
    pre.append(...source.map((text, i) => {
      const line = Object.assign(document.createElement("span"), { className: "code-line", textContent: text + "\n" });
      line.dataset.line = String(i + 1);
      if (range && i >= range[0] && i <= range[1]) line.classList.add("current");
      return line;
    }));
    figure.append(label, pre);
    return figure;
  }
}

/** The file of a recurrent cell, under /source/. */
export function cellFile(cell) {
  return "rnn/" + { rnn: "RnnCell", lstm: "LstmCell", gru: "GruCell" }[cell] + ".java";
}
