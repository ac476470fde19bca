"""Showing calculator results as text, exactly as calculator-runtime.js does in the browser.

Rules (both engines): currency is "$" with 2 decimals from 1 up (and for 0), else three
significant digits (at most 12 decimals), trailing zeros dropped down to 2; numbers have up to 2 decimals from 100
up, else up to 4; percents are the value times 100 with up to 2 decimals and a "%"; counts (jobs,
deliveries) are whole numbers, or one decimal and the word "expected" when the value is not whole.
Digits are grouped by commas. Rounding is the exact
decimal value of the double, halves away from zero (JavaScript's toFixed). From 1e15 up a value is
shown as 4 significant digits and an exponent ("1.235e+16", like toExponential(3)). A minus sign is
shown only when a non-zero digit is.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

_HUGE = 1e15
_MAX = 1.7976931348623157e308
_CONTEXT = Context(prec=400, rounding=ROUND_HALF_UP)
_SIGNIFICANT = Context(prec=4, rounding=ROUND_HALF_UP)


# A result as shown to readers in the given format: "currency", "number", "count" or "percent".
def format_value(value: float, fmt: str) -> str:
    if fmt == "percent":
        return _signed(value, _magnitude(abs(value * 100), 2, keep=0)) + "%"
    if fmt == "count":
        if value.is_integer():
            return _signed(value, _magnitude(abs(value), 0, keep=0))
        return _signed(value, _magnitude(abs(value), 1, keep=1)) + " expected"
    size = abs(value)
    if fmt == "currency":
        return _signed(value, "$" + _magnitude(size, _money_digits(size), keep=2))
    return _signed(value, _magnitude(size, 2 if size >= 100 else 4, keep=0))


# Decimals for an amount of money: cents from $1 up (and for zero), three significant digits below $1 ($0.567,
# $0.0167, $0.00944), never more than 12.
def _money_digits(size: float) -> int:
    if size >= 1 or size == 0:
        return 2
    digits, threshold = 3, 0.1
    while size < threshold and digits < 12:
        digits, threshold = digits + 1, threshold / 10
    return digits


# A non-negative value rounded to digits decimals, trailing zeros dropped down to keep, digits grouped;
# in exponent form when huge.
def _magnitude(size: float, digits: int, keep: int) -> str:
    size = min(size, _MAX)
    if size >= _HUGE:
        return _exponent(size)
    text = format(_CONTEXT.quantize(Decimal(size), Decimal(1).scaleb(-digits)), "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(keep, "0")
    grouped = f"{int(whole):,}"
    return f"{grouped}.{fraction}" if fraction else grouped


# 4 significant digits and an exponent, as JavaScript's toExponential(3) writes them.
def _exponent(size: float) -> str:
    rounded = _SIGNIFICANT.create_decimal(size)
    digits = "".join(str(digit) for digit in rounded.as_tuple().digits).ljust(4, "0")[:4]
    return f"{digits[0]}.{digits[1:]}e+{rounded.adjusted()}"


# Put a minus sign in front of shown text when the value is negative and the text is not all zeros.
def _signed(value: float, text: str) -> str:
    return "-" + text if value < 0 and any(char in "123456789" for char in text.split("e")[0]) else text
