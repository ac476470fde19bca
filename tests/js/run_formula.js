// Test and benchmark runner: reads {"cases": [{"node", "env"}], "repeat": n} on stdin,
// evaluates every case once with the shipped engine, then times `repeat` more passes,
// and prints {"results", "seconds"}. The engine is read from the folder given as the first argument (the shipped,
// minified one), else the source.
"use strict";
const path = require("path");
const scripts = process.argv[2] || path.join(__dirname, "../../overrides/assets/javascripts");
const engine = require(path.join(path.resolve(scripts), "costhub-formula.js"));

// Evaluate one case; a thrown error becomes {"error": message}, and -0 (which JSON
// would print as 0) becomes the string "-0" so the caller can see it.
function run(item) {
  try {
    const value = engine.evaluate(item.node, item.env);
    return Object.is(value, -0) ? "-0" : value;
  } catch (error) {
    return { error: String(error.message) };
  }
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const job = JSON.parse(input);
  const results = job.cases.map(run);
  const started = process.hrtime.bigint();
  for (let pass = 0; pass < (job.repeat || 0); pass++) job.cases.forEach(run);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ results, seconds }));
});
