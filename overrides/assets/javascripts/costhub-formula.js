// Evaluates calculator formula trees made by costhub/calculator/formula.py, with the same
// numeric rules (see that module's comment): doubles, 1/0 booleans, x / 0 = 0,
// overflow clamped to +/-MAX_VALUE, no -0, no NaN, halves rounded away from 0.
(function () {
  "use strict";
  var MAX = Number.MAX_VALUE;
  var SUM_TERMS = 1000;

  // Keep a result finite and free of -0.
  function fin(x) {
    return x === 0 ? 0 : x > MAX ? MAX : x < -MAX ? -MAX : x;
  }

  // a ** n for a whole n >= 0 by repeated squaring (same bits as Python).
  function ipow(a, n) {
    var result = 1;
    while (n > 0) {
      if (n % 2 === 1) result *= a;
      n = Math.floor(n / 2);
      if (n > 0) a *= a;
    }
    return result;
  }

  // Power with the calculator's rules for zero, negative bases and overflow.
  function pow(a, b) {
    if (a === 0 && b < 0) return 0;
    if (b === Math.floor(b)) {
      var result = ipow(a, Math.abs(b));
      return b >= 0 ? result : 1 / result;
    }
    return a < 0 ? 0 : Math.pow(a, b);
  }

  // Round halves away from zero; exact for every double.
  function round(x) {
    var whole = Math.trunc(x);
    return Math.abs(x - whole) >= 0.5 ? whole + (x < 0 ? -1 : 1) : whole;
  }

  // 1 + x + x**2 + ... + x**n term by term (n floored, at most SUM_TERMS terms, 0 when n < 0).
  function sumPowers(x, n) {
    var total = 0, term = 1;
    var count = n >= 0 ? Math.min(Math.floor(n), SUM_TERMS - 1) + 1 : 0;
    for (var k = 0; k < count; k++) {
      total = fin(total + term);
      term = fin(term * x);
    }
    return total;
  }

  var binary = {
    add: function (a, b) { return a + b; },
    sub: function (a, b) { return a - b; },
    mul: function (a, b) { return a * b; },
    div: function (a, b) { return b === 0 ? 0 : a / b; },
    pow: pow,
    lt: function (a, b) { return a < b ? 1 : 0; },
    le: function (a, b) { return a <= b ? 1 : 0; },
    gt: function (a, b) { return a > b ? 1 : 0; },
    ge: function (a, b) { return a >= b ? 1 : 0; },
    eq: function (a, b) { return a === b ? 1 : 0; },
    ne: function (a, b) { return a !== b ? 1 : 0; },
    and: function (a, b) { return a !== 0 && b !== 0 ? 1 : 0; },
    or: function (a, b) { return a !== 0 || b !== 0 ? 1 : 0; }
  };
  var calls = {
    min: function (args) { return Math.min.apply(null, args); },
    max: function (args) { return Math.max.apply(null, args); },
    ceil: function (args) { return Math.ceil(args[0]); },
    floor: function (args) { return Math.floor(args[0]); },
    round: function (args) { return round(args[0]); },
    abs: function (args) { return Math.abs(args[0]); },
    sum_powers: function (args) { return sumPowers(args[0], args[1]); }
  };

  // A variable's value: a finite number, or an infinity clamped.
  function lookup(name, env) {
    if (!Object.prototype.hasOwnProperty.call(env, name)) {
      throw new Error("no value for '" + name + "'");
    }
    var value = env[name];
    if (typeof value !== "number" || value !== value) {
      throw new Error("value of '" + name + "' is not a number");
    }
    return fin(value);
  }

  // Turn a tree into a function of the environment that does exactly what walking the tree would:
  // every sub-expression evaluated, every result through fin. Built from closures, never from text.
  function compile(node) {
    var op = node[0];
    if (op === "num") {
      var constant = fin(node[1]);
      return function () { return constant; };
    }
    if (op === "var") {
      var name = node[1];
      return function (env) {
        var value = env[name];
        return typeof value === "number" && value === value ? fin(value) : lookup(name, env);
      };
    }
    if (binary.hasOwnProperty(op)) {
      var left = compile(node[1]), right = compile(node[2]);
      if (op === "add") return function (env) { return fin(left(env) + right(env)); };
      if (op === "sub") return function (env) { return fin(left(env) - right(env)); };
      if (op === "mul") return function (env) { return fin(left(env) * right(env)); };
      var apply = binary[op];
      return function (env) { return fin(apply(left(env), right(env))); };
    }
    if (op === "neg") {
      var operand = compile(node[1]);
      return function (env) { return fin(-operand(env)); };
    }
    if (op === "not") {
      var negated = compile(node[1]);
      return function (env) { return negated(env) === 0 ? 1 : 0; };
    }
    if (op === "if") {
      var test = compile(node[1]), then = compile(node[2]), other = compile(node[3]);
      return function (env) {
        var cond = test(env), yes = then(env), no = other(env);
        return cond !== 0 ? yes : no;
      };
    }
    if (op === "call" && calls.hasOwnProperty(node[1])) {
      var call = calls[node[1]], args = node[2].map(compile);
      return function (env) { return fin(call(args.map(function (arg) { return arg(env); }))); };
    }
    throw new Error("unknown formula node '" + op + "'");
  }

  var compiled = new WeakMap();

  // Evaluate a tree; each tree is compiled once and its function kept for the next evaluation.
  function evaluate(node, env) {
    var run = compiled.get(node);
    if (!run) {
      run = compile(node);
      compiled.set(node, run);
    }
    return run(env);
  }

  var api = { evaluate: evaluate };
  if (typeof module !== "undefined") module.exports = api; else window.CostHubFormula = api;
})();
