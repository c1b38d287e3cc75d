// A thin wrapper around Chart.js for streaming lines: reset() and addDataPoint(), drawn without
// animation (tensorflow/playground's linechart.ts interface). Chart.js is the global from the
// webjar's UMD bundle.

const palette = ["#c2410c", "#1d4ed8", "#15803d", "#7e22ce", "#b45309", "#0e7490"];

export class LineChart {
  /**
   * names: one per line; options: {xLabel, yLabel, styles, yType, yTicks}, where styles[i]
   * overrides Chart.js dataset options of line i (e.g. a thicker line drawn on top), yType is
   * "linear" or "logarithmic" and yTicks(value) labels the y axis.
   */
  constructor(canvas, names, { xLabel = "", yLabel = "", yMin, yMax, styles = [], yType = "linear", yTicks } = {}) {
    this.styles = styles;
    this.chart = new Chart(canvas, {
      type: "line",
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: "nearest", intersect: false, axis: "x" },
        elements: { point: { radius: 0 }, line: { borderWidth: 1.6, tension: 0 } },
        scales: {
          x: { type: "linear", title: { display: !!xLabel, text: xLabel }, ticks: { maxTicksLimit: 8 } },
          y: {
            type: yType, title: { display: !!yLabel, text: yLabel }, min: yMin, max: yMax,
            ticks: yTicks ? { callback: yTicks } : {},
          },
        },
        plugins: {
          legend: { labels: { boxWidth: 12, boxHeight: 2 } },
          // long texts and long runs: draw a few hundred representative points per line
          decimation: { enabled: true, algorithm: "lttb", samples: 600, threshold: 1200 },
        },
      },
    });
    this.reset(names);
  }

  /** Starts over with these lines (and, if given, new per-line styles). */
  reset(names, styles = this.styles) {
    this.styles = styles;
    this.chart.data.datasets = names.map((label, i) => ({
      label, data: [], borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length],
      spanGaps: true,
      ...(this.styles[i] || {}),
    }));
    this.chart.update("none");
  }

  /** Adds y values (one per line, null to skip a line) at x; redraw() shows them. */
  addDataPoint(x, values) {
    values.forEach((y, i) => {
      if (y != null && Number.isFinite(y) && this.chart.data.datasets[i]) this.chart.data.datasets[i].data.push({ x, y });
    });
  }

  redraw() {
    this.chart.update("none");
  }

  /** Fixes the x axis to [min, max] (so a line can be seen growing across it). */
  setXRange(min, max) {
    Object.assign(this.chart.options.scales.x, { min, max });
  }

  /** Relabels the y axis (e.g. when switching between absolute and relative values). */
  setYLabel(text) {
    this.chart.options.scales.y.title.text = text;
    this.chart.options.scales.y.title.display = !!text;
  }

  /** How many points line i holds (tests read it through the DOM's data attributes). */
  size(i = 0) {
    return this.chart.data.datasets[i] ? this.chart.data.datasets[i].data.length : 0;
  }
}
