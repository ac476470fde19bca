"""Cost calculators: data/calculators.yml in, checked formulas, Python evaluation, formatted numbers and the browser spec out."""
