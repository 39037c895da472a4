"""Where each record came from, so a validation error can name a file, a row and a column."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .._errors import Issue
from .._scenario import Household, Scenario, SupplySource, Vehicle

COLLECTIONS = ("households", "vehicles", "sources", "bases")


@dataclass
class Origins:
    """Where each record came from, so a validation error can name a file and a row."""

    scenario_file: str
    records: dict[tuple[str, int], tuple[str, int | None]] = field(default_factory=dict)
    # For CSV-backed collections: model field -> column name as written by the user.
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    top_lines: dict[str, int] = field(default_factory=dict)

    def locate(self, loc: tuple[Any, ...]) -> tuple[str, int | None, str]:
        """Map a pydantic error location to (file, row, field name as the user wrote it)."""
        if len(loc) >= 2 and loc[0] in COLLECTIONS and isinstance(loc[1], int):
            coll, idx = str(loc[0]), loc[1]
            file, row = self.records.get((coll, idx), (self.scenario_file, None))
            rest = [str(p) or "''" for p in loc[2:]]  # an empty key shows as ''
            if rest[:1] == ["location"] and len(rest) > 1:
                rest = rest[1:]
            if not rest:
                return file, row, "(record)"
            # "time_windows.0" -> the user's column name, then which entry of the cell
            head = self.columns.get(coll, {}).get(rest[0], rest[0])
            tail = "".join(f"[{int(p) + 1}]" if p.isdigit() else f".{p}" for p in rest[1:])
            return file, row, head + tail
        key = str(loc[0]) if loc else ""
        name = ".".join(str(p) if str(p) else "''" for p in loc)  # an empty key shows as ''
        return self.scenario_file, self.top_lines.get(key), name or "(scenario)"


_FIXES: dict[str, str] = {
    "missing": "fill in this value",
    "int_parsing": "write a whole number",
    "int_from_float": "write a whole number",
    "float_parsing": "write a number (e.g. -6.25)",
    "bool_parsing": "write ya/tidak (yes/no)",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD",
    "date_parsing": "write the date as YYYY-MM-DD",
    "time_parsing": "write the time as HH:MM",
    "extra_forbidden": "remove this field or correct its spelling",
    "enum": "use one of the listed values",
    "literal_error": "use one of the listed values",
    "greater_than_equal": "use a larger value",
    "greater_than": "use a larger value",
    "less_than_equal": "use a smaller value",
    "too_short": "add at least one entry",
    "string_too_short": "fill in this value",
    "string_too_long": "shorten it",
    "value_error": "correct the value as the message says",
}


def issues_from_validation(exc: ValidationError, origins: Origins) -> list[Issue]:
    out: list[Issue] = []
    for err in exc.errors(include_url=False):
        file, row, fld = origins.locate(tuple(err["loc"]))
        value = err.get("input")
        shown = None if isinstance(value, dict | list) or value is None else str(value)[:80]
        fix = _FIXES.get(err["type"], "correct the value")
        if err["type"] == "extra_forbidden":
            parent = tuple(err["loc"][:-1])
            known = _known_fields_at(parent)
            close = difflib.get_close_matches(str(err["loc"][-1]), known, n=1)
            if close:
                fix = f"remove it, or did you mean '{close[0]}'?"
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "value_error" and "; " in msg:
            msg, fix = msg.split("; ", 1)  # our validators write "what is wrong; how to fix"
        out.append(Issue(file, fld, msg, fix, row=row, value=shown))
    return out


def _known_fields_at(loc: tuple[Any, ...]) -> list[str]:
    from .._scenario import Settings

    models: dict[str, Any] = {
        "households": Household,
        "vehicles": Vehicle,
        "sources": SupplySource,
        "settings": Settings,
    }
    if not loc:
        return list(Scenario.model_fields)
    model = models.get(str(loc[0]))
    return list(model.model_fields) if model else []
