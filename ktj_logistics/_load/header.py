"""A table's header row: required columns present, unknown ones warned about, none twice."""

from __future__ import annotations

import difflib

from .._errors import Issue


def check_header(
    header_raw: list[str],
    header: list[str],
    columns: tuple[set[str], list[str]],
    display: str,
    issues: list[Issue],
    first_row: int,
) -> dict[str, str] | None:
    """The sheet's own name of each known column; ``None`` when a required one is missing.
    Unknown columns are warned about, repeated ones are errors."""
    known, required = columns
    missing = [c for c in required if c not in header]
    if missing:
        strays = [h for h in header if h and h not in known]
        near = [
            f"'{close[0]}' for '{m}'"
            for m in missing
            if (close := difflib.get_close_matches(m, strays, n=1, cutoff=0.5))
        ]
        hint = f" (is {', '.join(near)} a misspelling?)" if near else ""
        optional = sorted(known - set(required))
        issues.append(
            Issue(
                display,
                ", ".join(missing),
                "required column(s) missing from the header" + hint,
                f"add the column(s); required columns: {', '.join(required)}; "
                f"optional: {', '.join(optional)}",
                row=first_row,
            )
        )
        return None
    col_names: dict[str, str] = {}
    for raw, col in zip(header_raw, header, strict=True):
        col_names[col] = raw.strip().strip("\ufeff")
        if col and col not in known:
            close = difflib.get_close_matches(col, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "remove it or rename it"
            issues.append(
                Issue(
                    display,
                    raw.strip(),
                    "unknown column, ignored",
                    hint,
                    row=first_row,
                    severity="warning",
                )
            )
    seen_cols: set[str] = set()
    for col in header:
        if col in seen_cols and col in known:
            issues.append(
                Issue(
                    display,
                    col,
                    "column appears twice",
                    "keep one of the two columns",
                    row=first_row,
                )
            )
        seen_cols.add(col)
    return col_names
