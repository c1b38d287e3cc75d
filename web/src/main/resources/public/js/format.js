// Small helpers for showing numbers and symbols to people.

/** A symbol as it can be seen: space, newline and tab get visible stand-ins. */
export function visibleSymbol(s) {
  if (s === " ") return "␣";
  if (s === "\n") return "↵";
  if (s === "\t") return "⇥";
  if (s === "\r") return "␍";
  return s;
}

/** Three significant digits (two in exponent form below 0.01), short enough for several numbers side by side on a phone. */
export function shortNumber(x) {
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 0.01 && a < 1000 ? x.toPrecision(3) : x.toExponential(1).replace("e+", "e");
}

export function percent(p) {
  return p >= 0.1 ? (p * 100).toFixed(0) + "%" : (p * 100).toFixed(1) + "%";
}

export function count(n) {
  if (n == null) return "–";
  if (n >= 1e6) return (n / 1e6).toFixed(n >= 1e7 ? 0 : 1) + "M";
  if (n >= 1e4) return (n / 1e3).toFixed(0) + "k";
  return String(n);
}

export function duration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return "–";
  seconds = Math.max(0, Math.round(seconds));
  if (seconds < 60) return seconds + " s";
  const m = Math.floor(seconds / 60), s = seconds % 60;
  if (m < 60) return `${m} min ${String(s).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

export function bytes(n) {
  if (n == null) return "–";
  if (n < 1024) return n + " B";
  if (n < 1024 * 1024) return (n / 1024).toFixed(0) + " KB";
  return (n / 1024 / 1024).toFixed(1) + " MB";
}

export function loss(x) {
  return x == null || !Number.isFinite(x) ? "–" : x.toFixed(3);
}

/** The code points of a text, one string each (an emoji is one symbol, not two halves). */
export const symbols = (text) => Array.from(text);

/** Diverging colour for a value in [-1, 1]: blue below zero, white at zero, red above. */
export function divergingColor(v) {
  const t = Math.max(-1, Math.min(1, v));
  const [lo, mid, hi] = [[33, 102, 172], [247, 247, 247], [178, 24, 43]];
  const [a, b, f] = t < 0 ? [mid, lo, -t] : [mid, hi, t];
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * f));
}

/** Sequential single-hue colour for a value in [0, 1] (an attention weight): near white at 0, dark blue at 1; safe for colour-blind readers. */
export function sequentialColor(v) {
  const t = Math.max(0, Math.min(1, v));
  const [lo, hi] = [[247, 251, 255], [8, 48, 107]];
  return [0, 1, 2].map((i) => Math.round(lo[i] + (hi[i] - lo[i]) * t));
}

export const rgb = ([r, g, b]) => `rgb(${r},${g},${b})`;
