// Brings every calculator on the page to life: live recalculation, field messages, state in the
// URL (short keys, defaults left out), presets, copy link, CSV download and two small SVG
// pictures. Numbers come from calculator-runtime.js; without this script the page keeps the
// default scenario that the build wrote into the table.
(function () {
  "use strict";
  var runtime = window.CostHubCalculator;
  var SVG = "http://www.w3.org/2000/svg";
  var POINTS = 21;

  // An SVG element with attributes.
  function svg(name, attributes) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    return element;
  }

  // An SVG text element.
  function label(x, y, text, anchor) {
    var element = svg("text", { x: x, y: y, "text-anchor": anchor || "start" });
    element.textContent = text;
    return element;
  }

  // Remove every child of an element.
  function clear(element) {
    while (element.firstChild) element.removeChild(element.firstChild);
  }

  // Set text only when it changes, so live regions announce real changes only.
  function setText(element, text) {
    if (element && element.textContent !== text) element.textContent = text;
  }

  // One calculator section: reads its spec, wires its controls and keeps everything in step.
  function Calculator(root) {
    this.root = root;
    this.spec = JSON.parse(root.querySelector(".costhub-calc__spec").textContent);
    this.fields = {};
    this.invalid = {};
    var self = this;
    this.spec.inputs.forEach(function (input) {
      self.fields[input.id] = root.querySelector("[data-input='" + input.id + "'] [name]");
    });
    this.cells = {};
    this.spec.lines.forEach(function (line) {
      self.cells[line.id] = root.querySelectorAll("[data-line='" + line.id + "'] td, dd[data-line='" + line.id + "']");
    });
    var params = new URLSearchParams(window.location.search);
    var state = runtime.decodeState(this.spec, function (name) { return params.get(name); });
    this.values = state.values;
    this.committed = {};
    this.commit();
    this.showValues();
    Object.keys(state.errors).forEach(function (id) {
      self.fields[id].value = state.errors[id][0];
      self.flag(id, state.errors[id][1]);
    });
    this.wire();
    this.update();
    this.saveState();
  }

  // Remember the current values as the last complete ones: a bad edit falls back to these, never to a
  // value that was valid only halfway through typing (the "1" of "1e12"), and the link carries only these.
  Calculator.prototype.commit = function () {
    Object.keys(this.values).forEach(function (id) { this.committed[id] = this.values[id]; }, this);
  };

  // Write the current values into the form fields.
  Calculator.prototype.showValues = function () {
    var self = this;
    this.spec.inputs.forEach(function (input) {
      var field = self.fields[input.id];
      if (input.kind === "yesno") field.checked = Boolean(self.values[input.id]);
      else field.value = String(self.values[input.id]);
      self.flag(input.id, "");
    });
  };

  // Show or clear a field's message.
  Calculator.prototype.flag = function (id, message) {
    var field = this.fields[id];
    setText(this.root.querySelector("#" + field.id + "-error"), message);
    if (message) {
      this.invalid[id] = true;
      field.setAttribute("aria-invalid", "true");
    } else {
      delete this.invalid[id];
      field.removeAttribute("aria-invalid");
    }
  };

  // Enable the form and connect every control.
  Calculator.prototype.wire = function () {
    var self = this;
    var root = this.root;
    root.classList.add("costhub-calc--live");
    root.querySelector(".costhub-calc__fields").disabled = false;
    root.querySelector(".costhub-calc__toolbar").hidden = false;
    root.querySelector(".costhub-calc__pictures").hidden = false;
    var form = root.querySelector(".costhub-calc__form");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", function (event) { self.read(event.target, false); });
    form.addEventListener("change", function (event) { self.read(event.target, true); });
    var preset = root.querySelector(".costhub-calc__preset");
    if (preset) preset.addEventListener("change", function () { self.applyPreset(preset.value); });
    root.querySelector(".costhub-calc__reset").addEventListener("click", function () {
      if (preset) preset.value = "";
      self.applyPreset("");
    });
    root.querySelector(".costhub-calc__copy").addEventListener("click", function () { self.copyLink(); });
    root.querySelector(".costhub-calc__csv").addEventListener("click", function () { self.download(); });
  };

  // Read one field as it is typed (done is false) or once it is committed (change: done is true). A valid
  // value is used at once; a bad one is flagged and the estimate goes back to the field's last committed value.
  Calculator.prototype.read = function (field, done) {
    var input = this.spec.inputs.filter(function (item) { return this.fields[item.id] === field; }, this)[0];
    if (!input) return;
    var parsed = runtime.parseInput(input, input.kind === "yesno" ? String(field.checked) : field.value);
    if ("error" in parsed) {
      this.flag(input.id, parsed.error);
      this.values[input.id] = this.committed[input.id];
    } else {
      this.flag(input.id, "");
      this.values[input.id] = parsed.value;
      if (done) this.committed[input.id] = parsed.value;
    }
    this.update();
    if (done) this.saveState();
  };

  // Load a preset's values (or the defaults for "").
  Calculator.prototype.applyPreset = function (id) {
    var found = this.spec.presets.filter(function (preset) { return preset.id === id; })[0];
    var values = found ? found.values : runtime.defaults(this.spec);
    this.values = {};
    Object.keys(values).forEach(function (key) { this.values[key] = values[key]; }, this);
    this.commit();
    this.showValues();
    this.update();
    this.saveState();
  };

  // Recalculate and refresh the results, the table and the pictures.
  Calculator.prototype.update = function () {
    var root = this.root;
    this.results = runtime.evaluate(this.spec, this.values);
    this.spec.lines.forEach(function (line) {
      var text = runtime.show(this.spec, line, this.results[line.id]);
      this.cells[line.id].forEach(function (cell) { setText(cell, text); });
    }, this);
    var bad = Object.keys(this.invalid).length;
    setText(root.querySelector(".costhub-calc__status"), bad === 0 ? "" :
      (bad === 1 ? "One field needs" : bad + " fields need") + " attention; the estimate uses the last valid value.");
    this.drawBar();
    this.drawChart();
  };

  // Put this calculator's committed values that differ from the defaults in the URL, keeping other
  // calculators' keys. It runs when a value is committed, not on every keystroke.
  Calculator.prototype.saveState = function () {
    var prefix = this.spec.key + ".";
    var params = new URLSearchParams(window.location.search);
    Array.from(params.keys()).forEach(function (name) {
      if (name.indexOf(prefix) === 0) params["delete"](name);
    });
    runtime.encodeState(this.spec, this.committed).forEach(function (pair) { params.append(pair[0], pair[1]); });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  };

  // Copy the URL of this estimate and show it in a field as well.
  Calculator.prototype.copyLink = function () {
    var root = this.root;
    var link = root.querySelector(".costhub-calc__link");
    var notice = root.querySelector(".costhub-calc__notice");
    link.value = window.location.href.split("#")[0] + "#" + root.id;
    link.hidden = false;
    root.querySelector(".costhub-calc__link-label").hidden = false;
    link.select();
    var done = function () { setText(notice, "Link copied."); };
    var manual = function () { setText(notice, "Copy the link from the field."); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(link.value).then(done, manual);
    } else {
      manual();
    }
  };

  // Download the inputs and the breakdown as CSV, naming the preset chosen and today's date.
  Calculator.prototype.download = function () {
    var preset = this.root.querySelector(".costhub-calc__preset");
    var label = preset && preset.value ? preset.options[preset.selectedIndex].textContent : "";
    var text = runtime.csv(this.spec, this.values, this.results, { preset: label, date: new Date().toISOString().slice(0, 10) });
    var url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = this.spec.id + "-estimate.csv";
    document.body.appendChild(anchor);
    anchor.click();
    document.body.removeChild(anchor);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  };

  // The stacked bar of cost components with its legend.
  Calculator.prototype.drawBar = function () {
    var root = this.root;
    var bar = root.querySelector(".costhub-calc__bar-svg");
    var legend = root.querySelector(".costhub-calc__legend");
    var parts = this.spec.lines.filter(function (line) { return line.component; });
    var total = parts.reduce(function (sum, line) { return sum + Math.max(this.results[line.id] || 0, 0); }.bind(this), 0);
    clear(bar);
    clear(legend);
    var x = 0;
    var spoken = [];
    parts.forEach(function (line, index) {
      var value = this.results[line.id];
      var text = runtime.show(this.spec, line, value);
      var width = total > 0 && value !== null ? Math.max(value, 0) / total * 600 : 0;
      var rect = svg("rect", { x: x, y: 0, width: width, height: 36, "class": "costhub-calc__slice costhub-calc__slice--" + index });
      var title = svg("title");
      title.textContent = line.label + ": " + text;
      rect.appendChild(title);
      bar.appendChild(rect);
      x += width;
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "costhub-calc__swatch costhub-calc__slice--" + index;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(line.label + ": " + text));
      legend.appendChild(item);
      spoken.push(line.label + " " + text);
    }, this);
    bar.setAttribute("aria-label", "Cost components: " + spoken.join("; "));
  };

  // The line chart of one output against one input over the input's whole range: axis titles, the
  // curve (broken where the output has no value) and the current point, marked and labelled.
  Calculator.prototype.drawChart = function () {
    var spec = this.spec;
    var chart = this.root.querySelector(".costhub-calc__chart-svg");
    var input = spec.inputs.filter(function (item) { return item.id === spec.chart.input; })[0];
    var output = spec.lines.filter(function (line) { return line.id === spec.chart.output; })[0];
    var points = runtime.series(spec, this.values, POINTS);
    var now = this.results[output.id];
    var left = 64, right = 330, top = 14, bottom = 150;
    var xLow = input.min, xHigh = input.max;
    var ys = points.map(function (p) { return p.y; }).concat([now, 0]).filter(function (y) { return y !== null; });
    var yHigh = Math.max.apply(null, ys);
    var scaleX = function (x) { return left + (xHigh > xLow ? (x - xLow) / (xHigh - xLow) : 0) * (right - left); };
    var scaleY = function (y) { return bottom - (yHigh > 0 ? Math.max(y, 0) / yHigh : 0) * (bottom - top); };
    var inputText = function (x) { return input.kind === "percent" ? runtime.format(x / 100, "percent") : runtime.format(x, "number") + (input.unit ? " " + input.unit : ""); };
    var yText = function (y) { return runtime.show(spec, output, y); };
    clear(chart);
    chart.appendChild(svg("line", { x1: left, y1: bottom, x2: right, y2: bottom, "class": "costhub-calc__axis" }));
    chart.appendChild(svg("line", { x1: left, y1: top, x2: left, y2: bottom, "class": "costhub-calc__axis" }));
    chart.appendChild(label(left - 4, top + 4, runtime.format(yHigh, output.format), "end"));
    chart.appendChild(label(left - 4, bottom, runtime.format(0, output.format), "end"));
    chart.appendChild(label(left, bottom + 14, inputText(xLow), "start"));
    chart.appendChild(label(right, bottom + 14, inputText(xHigh), "end"));
    var xTitle = label((left + right) / 2, bottom + 30, input.label, "middle");
    xTitle.setAttribute("class", "costhub-calc__axis-title costhub-calc__axis-title--x");
    chart.appendChild(xTitle);
    var yTitle = label(12, (top + bottom) / 2, output.label, "middle");
    yTitle.setAttribute("class", "costhub-calc__axis-title costhub-calc__axis-title--y");
    yTitle.setAttribute("transform", "rotate(-90 12 " + (top + bottom) / 2 + ")");
    chart.appendChild(yTitle);
    var runs = [[]];
    points.forEach(function (p) {
      if (p.y === null) { if (runs[runs.length - 1].length) runs.push([]); return; }
      runs[runs.length - 1].push(scaleX(p.x).toFixed(1) + "," + scaleY(p.y).toFixed(1));
    });
    runs.filter(function (run) { return run.length; }).forEach(function (run) {
      chart.appendChild(svg("polyline", { points: run.join(" "), "class": "costhub-calc__curve" }));
    });
    var current = this.values[input.id];
    var cx = scaleX(current), cy = now === null ? bottom : scaleY(now);
    chart.appendChild(svg("circle", { cx: cx, cy: cy, r: 4, "class": "costhub-calc__dot" }));
    var mark = label(cx > (left + right) / 2 ? cx - 7 : cx + 7, Math.max(cy - 8, top + 10),
      "now " + yText(now) + " at " + inputText(current), cx > (left + right) / 2 ? "end" : "start");
    mark.setAttribute("class", "costhub-calc__now");
    chart.appendChild(mark);
    var first = points[0], last = points[points.length - 1];
    chart.setAttribute("aria-label", output.label + " against " + input.label.toLowerCase() + ": " + yText(first.y) + " at " +
      inputText(first.x) + ", " + yText(last.y) + " at " + inputText(last.x) + "; now " + yText(now) + " at " + inputText(current) + ".");
  };

  // Start the calculators one at a time, each in a task of its own, so the page answers a tap or a key
  // between them instead of waiting for all three; the first starts after the theme's own start-up.
  function start() {
    var roots = Array.prototype.slice.call(document.querySelectorAll("[data-calculator]"));
    function next() {
      var root = roots.shift();
      if (!root) return;
      root.costhubCalculator = new Calculator(root);
      window.setTimeout(next, 0);
    }
    window.setTimeout(next, 0);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
