// Evaluates a calculator spec written by costhub/calculator/model.py, with the same rules as that
// module and costhub/calculator/numbers.py: values as typed, percents read as fractions, yes/no as 1/0,
// choice options as 1/0 flags; lines evaluated in order, a line without a value (only_when is 0, or it
// reads a line without one) is null; results shown with identical text.
// Pure functions only: the page wiring lives in calculator.js. Also a Node module for tests.
(function (root, factory) {
  if (typeof module !== "undefined" && module.exports) {
    module.exports = factory(require("./costhub-formula.js"));
  } else {
    root.CostHubCalculator = factory(root.CostHubFormula);
  }
})(typeof window !== "undefined" ? window : this, function (formula) {
  "use strict";
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  var YES = ["yes", "true", "1", "on"];
  var NO = ["no", "false", "0", "off"];
  var HUGE = 1e15;

  // The values a reader starts with.
  function defaults(spec) {
    var values = {};
    spec.inputs.forEach(function (input) { values[input.id] = input["default"]; });
    return values;
  }

  // The formula environment for a full set of values.
  function environment(spec, values) {
    var env = {};
    spec.inputs.forEach(function (input) {
      var value = values[input.id];
      if (input.kind === "choice") {
        input.options.forEach(function (option) { env[option] = option === value ? 1 : 0; });
      } else if (input.kind === "yesno") {
        env[input.id] = value ? 1 : 0;
      } else {
        env[input.id] = input.kind === "percent" ? value / 100 : value;
      }
    });
    return env;
  }

  // Every line's value, or null for a line without one; inputs missing from values take their defaults.
  function evaluate(spec, values) {
    var merged = defaults(spec);
    Object.keys(values || {}).forEach(function (id) { merged[id] = values[id]; });
    return run(spec.lines, environment(spec, merged));
  }

  // Evaluate lines in order into env; a line without a value is null, and so is every line that reads one.
  function run(lines, env) {
    var results = {};
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      var value = null;
      var ready = true;
      for (var j = 0; j < line.reads.length; j++) if (results[line.reads[j]] === null) ready = false;
      if (ready && (line.only_when === null || formula.evaluate(line.only_when, env) !== 0)) {
        value = env[line.id] = formula.evaluate(line.tree, env);
      }
      results[line.id] = value;
    }
    return results;
  }

  // The lines one line needs, itself included, in evaluation order.
  function needed(spec, id) {
    var wanted = {};
    wanted[id] = true;
    for (var i = spec.lines.length - 1; i >= 0; i--) {
      var line = spec.lines[i];
      if (wanted[line.id]) line.reads.forEach(function (read) { wanted[read] = true; });
    }
    return spec.lines.filter(function (line) { return wanted[line.id]; });
  }

  // Digits of a whole number grouped by commas.
  function group(whole) {
    return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  // A non-negative value rounded to digits decimals, zeros trimmed down to keep; exponent form when huge.
  function magnitude(size, digits, keep) {
    size = Math.min(size, Number.MAX_VALUE);
    if (size >= HUGE) return size.toExponential(3);
    var parts = size.toFixed(digits).split(".");
    var fraction = (parts[1] || "").replace(/0+$/, "");
    while (fraction.length < keep) fraction += "0";
    return fraction ? group(parts[0]) + "." + fraction : group(parts[0]);
  }

  // Minus sign only when the value is negative and a non-zero digit is shown.
  function signed(value, text) {
    return value < 0 && /[1-9]/.test(text.split("e")[0]) ? "-" + text : text;
  }

  // Decimals for money: cents from $1 up (and for zero), three significant digits below $1, at most 12.
  function moneyDigits(size) {
    if (size >= 1 || size === 0) return 2;
    var digits = 3, threshold = 0.1;
    while (size < threshold && digits < 12) { digits += 1; threshold /= 10; }
    return digits;
  }

  // A result as text: "currency", "number", "count" or "percent" (rules in costhub/calculator/numbers.py).
  function format(value, fmt) {
    if (fmt === "percent") return signed(value, magnitude(Math.abs(value * 100), 2, 0)) + "%";
    if (fmt === "count") {
      if (Math.floor(value) === value) return signed(value, magnitude(Math.abs(value), 0, 0));
      return signed(value, magnitude(Math.abs(value), 1, 1)) + " expected";
    }
    var size = Math.abs(value);
    if (fmt === "currency") {
      return signed(value, "$" + magnitude(size, moneyDigits(size), 2));
    }
    return signed(value, magnitude(size, size >= 100 ? 2 : 4, 0));
  }

  // A line's value as shown: its format, or the calculator's no-value text.
  function show(spec, line, value) {
    return value === null ? spec.no_value : format(value, line.format);
  }

  // Parse one input's text: {value} or {error} with the same rules and messages as the command line.
  function parseInput(input, text) {
    var cleaned = String(text).trim();
    if (input.kind === "choice") {
      return input.options.indexOf(cleaned) >= 0 ? { value: cleaned } : { error: "Choose one of the options." };
    }
    if (input.kind === "yesno") {
      var word = cleaned.toLowerCase();
      if (YES.indexOf(word) >= 0) return { value: true };
      return NO.indexOf(word) >= 0 ? { value: false } : { error: "Answer yes or no." };
    }
    var number = cleaned.replace(/,/g, "");
    if (input.kind === "percent") number = number.replace(/%$/, "");
    if (!cleaned || !NUMBER.test(number)) return { error: "Enter a number." };
    var value = Number(number);
    if (input.whole && isFinite(value) && Math.floor(value) !== value) return { error: "Enter a whole number." };
    if (value < input.min) return { error: "Must be at least " + format(input.min, "number") + "." };
    if (value > input.max) return { error: "Must be at most " + format(input.max, "number") + "." };
    return { value: value };
  }

  // A value as it is written in a link.
  function valueText(input, value) {
    if (input.kind === "yesno") return value ? "1" : "0";
    return String(value);
  }

  // [name, text] pairs for a link: this calculator's values that differ from their defaults.
  function encodeState(spec, values) {
    var pairs = [];
    spec.inputs.forEach(function (input) {
      if (values[input.id] !== input["default"]) {
        pairs.push([spec.key + "." + input.key, valueText(input, values[input.id])]);
      }
    });
    return pairs;
  }

  // Values from a link (get(name) returns text or null), plus {input id: [text, error]} for bad ones.
  function decodeState(spec, get) {
    var values = defaults(spec);
    var errors = {};
    spec.inputs.forEach(function (input) {
      var text = get(spec.key + "." + input.key);
      if (text === null || text === undefined) return;
      var parsed = parseInput(input, text);
      if ("error" in parsed) errors[input.id] = [text, parsed.error];
      else values[input.id] = parsed.value;
    });
    return { values: values, errors: errors };
  }

  // Points {x, y} of the chart output over the chart input, from its minimum to its maximum; y is null
  // where the output has no value. Only the lines the output needs are evaluated.
  function series(spec, values, count) {
    var input = spec.inputs.filter(function (item) { return item.id === spec.chart.input; })[0];
    var lines = needed(spec, spec.chart.output);
    var merged = defaults(spec);
    Object.keys(values).forEach(function (id) { merged[id] = values[id]; });
    var env = environment(spec, merged);
    var points = [];
    for (var i = 0; i < count; i++) {
      var x = input.min + (input.max - input.min) * i / (count - 1);
      env[input.id] = input.kind === "percent" ? x / 100 : x;
      points.push({ x: x, y: run(lines, env)[spec.chart.output] });
    }
    return points;
  }

  // One CSV cell: text that a spreadsheet would run as a formula gets a leading ' (OWASP's advice
  // against CSV injection), then quotes when the cell needs them.
  function csvField(text) {
    text = String(text);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  // The unit a line's value is counted in, for the CSV.
  function lineUnit(line) {
    return { currency: "USD", percent: "%", count: "count", number: "number" }[line.format];
  }

  // A shown result as a plain number at the shown precision: no $, commas, % or "expected".
  function plain(text) {
    return text.replace(/[$,%]/g, "").replace(/ expected$/, "");
  }

  // The estimate as CSV: what it is (calculator, preset, date), then every input and line with its value at
  // the shown precision, its unit and its raw value. about = {preset: label or "", date: "YYYY-MM-DD"}.
  function csv(spec, values, results, about) {
    var rows = [["calculator", spec.title], ["preset", about.preset || "none"], ["date", about.date], [],
                ["section", "id", "label", "value", "unit", "raw value"]];
    spec.inputs.forEach(function (input) {
      var value = values[input.id];
      if (input.kind === "yesno") rows.push(["input", input.id, input.label, value ? "yes" : "no", "yes/no", value ? "1" : "0"]);
      else if (input.kind === "choice") rows.push(["input", input.id, input.label, value, "option", value]);
      else rows.push(["input", input.id, input.label, String(value), input.unit, String(value)]);
    });
    spec.lines.forEach(function (line) {
      var value = results[line.id];
      var section = line.output ? "output" : "breakdown";
      if (value === null) {
        rows.push([section, line.id, line.label, spec.no_value, lineUnit(line), ""]);
      } else {
        var raw = line.format === "percent" ? value * 100 : value;
        rows.push([section, line.id, line.label, plain(format(value, line.format)), lineUnit(line), String(raw)]);
      }
    });
    return rows.map(function (row) { return row.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }

  return {
    defaults: defaults,
    evaluate: evaluate,
    format: format,
    show: show,
    parseInput: parseInput,
    encodeState: encodeState,
    decodeState: decodeState,
    series: series,
    csv: csv
  };
});
