// Draws the dashboard charts with Chart.js (static/vendor/chartjs, loaded before this file).
//
// Markup, one per chart:
//   <div class="chart-box">
//     <canvas data-chart="scores-data" role="img" aria-label="…"></canvas>
//   </div>
//   <script type="application/json" id="scores-data">{…}</script>
// The JSON (e.g. from Django's json_script filter):
//   {"type": "line" | "bar", "labels": [string],
//    "datasets": [{"label": string, "data": [number | null]}],
//    "yMin": number, "yMax": number, "horizontal": bool (bar only), "yTitle": string}
// The canvas follows the CSS height of its .chart-box. The template renders the same
// numbers as a table, so without JavaScript (or with a screen reader) nothing is lost.
//
// Nothing here needs 'unsafe-inline' or 'unsafe-eval': Chart.js draws on the canvas and
// sizes it through element.style (the CSSOM), which the CSP allows.
(function () {
  "use strict";

  // Okabe–Ito, safe for the common colour-vision deficiencies. Its yellow is left out: too
  // faint on white. Colour is never the only cue: lines also differ in point shape and dash,
  // and the bars of each further series get a fill pattern.
  const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
  const POINT_STYLES = ["circle", "rect", "triangle", "rectRot", "star", "crossRot"];
  const DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3], [14, 5], [4, 4]];
  const PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical"];

  function pick(list, index) {
    return list[index % list.length];
  }

  function isNumber(value) {
    return typeof value === "number" && Number.isFinite(value);
  }

  function reducedMotion() {
    return Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  // A small tile repeated over a bar: a second cue besides colour when bars of several
  // series stand side by side.
  function pattern(colour, kind) {
    if (kind === "solid") {
      return colour;
    }
    const size = 8;
    const tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    const context = tile.getContext("2d");
    if (!context) {
      return colour;
    }
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, size, size);
    context.strokeStyle = colour;
    context.fillStyle = colour;
    context.lineWidth = 2;
    context.beginPath();
    if (kind === "diagonal") {
      context.moveTo(0, size);
      context.lineTo(size, 0);
      context.moveTo(-1, 1);
      context.lineTo(1, -1);
      context.moveTo(size - 1, size + 1);
      context.lineTo(size + 1, size - 1);
    } else if (kind === "dots") {
      context.arc(size / 2, size / 2, 2, 0, 2 * Math.PI);
      context.fill();
    } else if (kind === "cross") {
      context.moveTo(0, size / 2);
      context.lineTo(size, size / 2);
      context.moveTo(size / 2, 0);
      context.lineTo(size / 2, size);
    } else if (kind === "horizontal") {
      context.moveTo(0, size / 2);
      context.lineTo(size, size / 2);
    } else {
      context.moveTo(size / 2, 0);
      context.lineTo(size / 2, size);
    }
    context.stroke();
    return context.createPattern(tile, "repeat") || colour;
  }

  // Anything but a finite number becomes a gap.
  function values(dataset) {
    return Array.isArray(dataset.data) ? dataset.data.map(function (value) {
      return isNumber(value) ? value : null;
    }) : [];
  }

  function lineDataset(dataset, index) {
    const colour = pick(COLOURS, index);
    return {
      label: String(dataset.label),
      data: values(dataset),
      borderColor: colour,
      backgroundColor: colour,
      borderWidth: 2,
      borderDash: pick(DASHES, index),
      pointStyle: pick(POINT_STYLES, index),
      pointRadius: 5,
      pointHoverRadius: 7,
      pointBorderWidth: 2,
      spanGaps: true,
      tension: 0,
      clip: false, // a point at yMin or yMax shows whole, not cut in half by the plot's edge
    };
  }

  function barDataset(dataset, index) {
    const colour = pick(COLOURS, index);
    return {
      label: String(dataset.label),
      data: values(dataset),
      borderColor: colour,
      backgroundColor: pattern(colour, pick(PATTERNS, index)),
      borderWidth: 1,
    };
  }

  function valueAxis(spec, text, grid, stepOne) {
    const axis = {
      ticks: { color: text, precision: 0 },
      grid: { color: grid },
      title: { display: Boolean(spec.yTitle), text: spec.yTitle || "", color: text },
    };
    if (isNumber(spec.yMin)) {
      axis.min = spec.yMin;
    }
    if (isNumber(spec.yMax)) {
      axis.max = spec.yMax;
    }
    if (stepOne) {
      axis.ticks.stepSize = 1;
    }
    return axis;
  }

  function config(spec, canvas) {
    const style = window.getComputedStyle(canvas);
    const text = style.color || "#373c44";
    const grid = "rgba(0, 0, 0, 0.12)";
    const line = spec.type === "line";
    const horizontal = !line && Boolean(spec.horizontal);
    const datasets = spec.datasets.map(line ? lineDataset : barDataset);
    // Integer steps for the line chart always (scores on a fixed scale); for bars only when
    // the scale is short enough for every step to get a tick.
    const span = isNumber(spec.yMin) && isNumber(spec.yMax) ? spec.yMax - spec.yMin : Infinity;
    const value = valueAxis(spec, text, grid, line || span <= 12);
    const category = {
      ticks: { color: text, autoSkip: !horizontal },
      grid: { color: grid, display: line },
    };
    const scales = horizontal ? { x: value, y: category } : { x: category, y: value };
    const options = {
      responsive: true,
      maintainAspectRatio: false, // the height comes from the .chart-box CSS
      indexAxis: horizontal ? "y" : "x",
      color: text,
      layout: { padding: { top: 8, right: 8 } },
      interaction: line ? { mode: "index", intersect: false } : { mode: "nearest", intersect: true },
      scales: scales,
      plugins: {
        legend: {
          display: line || datasets.length > 1,
          position: "bottom",
          labels: { color: text, usePointStyle: line },
        },
      },
    };
    if (reducedMotion()) {
      options.animation = false;
    }
    return {
      type: line ? "line" : "bar",
      data: { labels: spec.labels.map(String), datasets: datasets },
      options: options,
    };
  }

  function readSpec(canvas) {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      console.warn("charts.js: no data element #" + canvas.dataset.chart);
      return null;
    }
    let spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      console.warn("charts.js: bad JSON in #" + canvas.dataset.chart, error);
      return null;
    }
    if (!spec || (spec.type !== "line" && spec.type !== "bar") ||
        !Array.isArray(spec.labels) || !Array.isArray(spec.datasets) ||
        !spec.datasets.every(function (dataset) { return dataset && typeof dataset === "object"; })) {
      console.warn("charts.js: unexpected chart data in #" + canvas.dataset.chart);
      return null;
    }
    return spec;
  }

  function drawAll() {
    const Chart = window.Chart;
    if (!Chart) {
      return; // Chart.js did not load: the tables next to the charts still show the data.
    }
    // The page's font rather than Chart.js's Helvetica/Arial, for every chart.
    const font = window.getComputedStyle(document.body).fontFamily;
    if (font) {
      Chart.defaults.font.family = font;
    }
    // Charts whose canvas htmx swapped out: let Chart.js drop them and their observers.
    Object.keys(Chart.instances).forEach(function (id) {
      const chart = Chart.instances[id];
      if (chart && chart.canvas && !chart.canvas.isConnected) {
        chart.destroy();
      }
    });
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (Chart.getChart(canvas)) {
        return; // already drawn
      }
      const spec = readSpec(canvas);
      if (!spec) {
        return;
      }
      try {
        new Chart(canvas, config(spec, canvas));
      } catch (error) {
        console.warn("charts.js: could not draw #" + canvas.dataset.chart, error); // the others still draw
      }
    });
  }

  // htmx keeps a copy of the page's HTML for the back button. Chart.js gives the canvas a
  // style attribute, which the CSP would refuse when that copy is put back: leave it out
  // of the copy (htmx takes it straight after this event) and put it back right away.
  function beforeHistorySave(event) {
    const root = (event.detail && event.detail.historyElt) || document.body;
    root.querySelectorAll("canvas[data-chart][style]").forEach(function (canvas) {
      const css = canvas.style.cssText;
      canvas.removeAttribute("style");
      Promise.resolve().then(function () {
        canvas.style.cssText = css; // CSSOM, which the CSP allows
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  document.addEventListener("htmx:afterSettle", drawAll);
  document.addEventListener("htmx:historyRestore", drawAll);
  document.addEventListener("htmx:beforeHistorySave", beforeHistorySave);
})();
