"""The sandbox page templates run in: Jinja's immutable sandbox plus limits on size, numbers and time, so no page
can exhaust memory or hang a build ({{ 'x' * 10**10 }}, 10**10**10, a loop without end)."""
from __future__ import annotations

import contextlib
import functools
import signal
import threading
from collections.abc import Iterator
from typing import Any, Callable

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_TEXT = 2_000_000
# What one call may return: a macro's whole HTML, such as the checklists or review page of a site with 1,000 guides,
# runs past MAX_TEXT (room here for 10,000 guides, far below what would exhaust memory).
MAX_CALL_TEXT = 20_000_000
MAX_NUMBER_BITS = 4096
MAX_EXPONENT = 4096
# Time for the slowest page a real site makes (the review dashboard of a 1,000-guide site takes seconds on a busy
# machine), so only a loop without end reaches it.
RENDER_SECONDS = 10.0
_SIZED = (str, list, tuple, dict, set, frozenset, bytes)
# Attribute verdicts kept at most (a page can ask for any number of names through |attr).
MAX_VERDICTS = 4096


class LimitError(SecurityError):
    """A page template went past one of the sandbox's limits."""


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` to a join that refuses text longer than MAX_TEXT."""

    # Emit environment.bounded_join((parts...), markup) instead of an unbounded join.
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        markup = "context.eval_ctx.volatile" if frame.eval_ctx.volatile else str(bool(frame.eval_ctx.autoescape))
        self.write("environment.bounded_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(f"), {markup})")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox whose arithmetic, joins, calls and filters stay within MAX_TEXT characters and
    MAX_NUMBER_BITS-bit numbers, with str.format and %-formatting refused (their widths allocate at once)."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%", "//", "/"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _bounded_filter(name, function) for name, function in self.filters.items()}
        self._verdicts: dict[tuple[type, str], bool] = {}

    # The immutable sandbox's verdict on an attribute, kept per type and name: it reads nothing else (whether the
    # name is private or internal to that kind of object, or modifies a known mutable type). An object whose
    # __class__ is not its type is judged afresh each time.
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        kind = type(obj)
        if obj.__class__ is not kind:
            return super().is_safe_attribute(obj, attr, value)
        verdict = self._verdicts.get((kind, attr))
        if verdict is None:
            if len(self._verdicts) >= MAX_VERDICTS:
                self._verdicts.clear()
            verdict = self._verdicts[(kind, attr)] = super().is_safe_attribute(obj, attr, value)
        return verdict

    # Every intercepted operator, checked before it runs and on its result.
    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_operands(operator, left, right)
        return _checked(super().call_binop(context, operator, left, right), f"'{operator}'")

    # str.format and format_map are refused: a width such as {:999999999} allocates at once.
    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if super().wrap_str_format(value) is None:
            return None

        def refused(*_args: Any, **_kwargs: Any) -> str:
            raise LimitError("str.format is not allowed in pages; join text with ~")
        return refused

    # Every call a template makes, with its numbers and its result bounded.
    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        _check_arguments(getattr(__obj, "__name__", "a call"), args, kwargs)
        return _checked(super().call(__context, __obj, *args, **kwargs), f"{getattr(__obj, '__name__', 'a call')}()",
                        MAX_CALL_TEXT)

    # `a ~ b ~ ...` joined, refusing a result longer than MAX_TEXT.
    def bounded_join(self, parts: tuple[Any, ...], markup: bool) -> str:
        texts = [part if isinstance(part, str) else str(part) for part in parts]
        if sum(len(text) for text in texts) > MAX_TEXT:
            raise LimitError(f"text longer than {MAX_TEXT:,} characters")
        return markup_join(parts) if markup else str_join(parts)


# Refuse an operation whose result would be too large before computing it.
def _check_operands(operator: str, left: Any, right: Any) -> None:
    if operator == "%" and isinstance(left, str):
        raise LimitError("%-formatting is not allowed in pages; join text with ~")
    if operator == "**" and isinstance(right, (int, float)) and not isinstance(right, bool):
        if abs(right) > MAX_EXPONENT or (isinstance(left, int) and left.bit_length() * abs(right) > MAX_NUMBER_BITS):
            raise LimitError("number too large")
    if operator == "*":
        for sized, count in ((left, right), (right, left)):
            if isinstance(sized, _SIZED) and isinstance(count, int) and len(sized) * count > MAX_TEXT:
                raise LimitError(f"text or list longer than {MAX_TEXT:,} items")
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_NUMBER_BITS:
            raise LimitError("number too large")


# Refuse numbers above MAX_TEXT as arguments (widths, counts, lengths allocate that much at once).
def _check_arguments(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
            raise LimitError(f"{name}(): argument {value if value.bit_length() < 64 else 'too large'} is over the "
                             f"limit of {MAX_TEXT:,}")


# A value, or LimitError when it is text or a collection longer than `limit`, or a number past the limits.
def _checked(value: Any, what: str, limit: int = MAX_TEXT) -> Any:
    if isinstance(value, _SIZED) and len(value) > limit:
        raise LimitError(f"{what} made a value longer than {limit:,}")
    if isinstance(value, int) and value.bit_length() > MAX_NUMBER_BITS:
        raise LimitError(f"{what} made a number too large")
    return value


# A filter whose numeric arguments and result are bounded (Jinja's pass_context markers are kept by wraps).
def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_arguments(f"|{name}", args[1:], kwargs)
        return _checked(function(*args, **kwargs), f"|{name}")
    return bounded


# Stop a render that takes longer than `seconds` with LimitError (only in the main thread, where signals arrive;
# any timer already running is restored afterwards).
@contextlib.contextmanager
def render_deadline(seconds: float = RENDER_SECONDS) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def _expired(_signum: int, _frame: Any) -> None:
        raise LimitError(f"the page took longer than {seconds:g} s to render (a loop without end?)")

    previous = signal.signal(signal.SIGALRM, _expired)
    earlier, _interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if earlier:
            signal.setitimer(signal.ITIMER_REAL, earlier)

