// Test and benchmark runner for the shipped calculator runtime: reads {"spec", "vectors", "repeat",
// "texts", "about"} on stdin, evaluates every vector once, times `repeat` more passes, parses every
// [input id, text] pair, and prints {"results": [{line: value}], "shown": [{line: text}],
// "parsed": [{value} or {error}], "links": [values after a trip through a link], "csv": [text, when
// "about" ({preset, date}) is given], "chart": [the chart's points, when "points" is given], "seconds"}.
// The scripts are read from the folder given as the first argument (the shipped, minified ones), else the sources.
"use strict";
const path = require("path");
const scripts = process.argv[2] || path.join(__dirname, "../../overrides/assets/javascripts");
const runtime = require(path.join(path.resolve(scripts), "calculator-runtime.js"));

// Every line's value and shown text for one vector of input values.
function run(spec, values) {
  const results = runtime.evaluate(spec, values);
  const shown = {};
  spec.lines.forEach((line) => { shown[line.id] = runtime.show(spec, line, results[line.id]); });
  return { results, shown };
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const job = JSON.parse(input);
  const answers = job.vectors.map((values) => run(job.spec, values));
  const started = process.hrtime.bigint();
  for (let pass = 0; pass < (job.repeat || 0); pass++) job.vectors.forEach((values) => run(job.spec, values));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const inputs = new Map(job.spec.inputs.map((item) => [item.id, item]));
  const parsed = (job.texts || []).map(([id, text]) => runtime.parseInput(inputs.get(id), text));
  const links = job.vectors.map((values) => {
    const params = new URLSearchParams(runtime.encodeState(job.spec, values));
    return runtime.decodeState(job.spec, (name) => params.get(name)).values;
  });
  process.stdout.write(JSON.stringify({
    results: answers.map((answer) => answer.results),
    shown: answers.map((answer) => answer.shown),
    parsed,
    links,
    chart: job.points ? job.vectors.map((values) => runtime.series(job.spec, values, job.points)) : [],
    csv: job.about ? job.vectors.map((values, i) => runtime.csv(job.spec, values, answers[i].results, job.about)) : [],
    seconds,
  }));
});
