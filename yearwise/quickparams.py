"""Typer without pydantic for values that are already what their parameter says: a faster `yearwise` start.

Typer (0.2x) coerces every parameter value through a pydantic TypeAdapter built at run time: importing pydantic
and building the adapters costs ~150-200 ms of a ~0.5 s `yearwise sql "select 1"`. A value that already has its
annotation's exact type and no constraint to check (a str given to a str option; a default such as 100 for an
int option without min/max) comes out of those adapters unchanged, so it is passed through here; any other value
(an Enum, a Path, a number with bounds, a custom parser, a file) still goes through typer's own adapter, built
the first time it is needed. If typer's internals are not the ones this was written for, nothing is patched.
"""

from __future__ import annotations

from typing import Any, Callable

_PLAIN = (str, int, float, bool)


def install() -> bool:
    """Wrap typer's per-parameter coercion builder with the pass-through; whether it was installed."""
    try:
        from typer import core
        from typer._coercion import RuntimeParam
    except ImportError:
        return False
    build = getattr(core, "build_runtime_param", None)
    if build is None or getattr(build, "_yearwise_quick", False):
        return build is not None
    typer_build: Callable[[Any], Any] = build  # typer's own builder (a name mypy sees narrowed in the class below)

    class QuickRuntimeParam(RuntimeParam):
        """Passes through values of the annotation's exact plain type; builds typer's coercion for the rest
        (None, a missing value, never reaches it: RuntimeParam.coerce answers that itself)."""

        _descriptor: Any  # typer's parameter descriptor
        _full: Any  # typer's own RuntimeParam for it, built when first needed

        def __init__(self, descriptor):
            object.__setattr__(self, "parameter_info", descriptor.parameter_info)
            object.__setattr__(self, "annotation", descriptor.annotation)
            object.__setattr__(self, "_descriptor", descriptor)
            object.__setattr__(self, "_full", None)

        def _passes(self, value) -> bool:
            info, annotation = self.parameter_info, self.annotation
            if annotation not in _PLAIN or type(value) is not annotation:
                return False
            if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
                return False
            if annotation is not str and annotation is not bool and (
                    getattr(info, "min", None) is not None or getattr(info, "max", None) is not None):
                return False
            return True

        def _coerce_value(self, value, param, ctx):
            if self._passes(value):
                return value
            if self._full is None:
                object.__setattr__(self, "_full", typer_build(self._descriptor))
            return self._full._coerce_value(value, param=param, ctx=ctx)

    def quick(descriptor):
        if descriptor.file_annotation is not None:
            return typer_build(descriptor)
        return QuickRuntimeParam(descriptor)

    quick._yearwise_quick = True  # type: ignore[attr-defined]
    core.build_runtime_param = quick
    return True
