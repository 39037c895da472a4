"""Ids are keys: two that look the same must be the same, and none may hide a character.

Every text cell is brought to Unicode NFC (an ``é`` typed as one character or as ``e`` and
a combining accent is the same letter). An id, or a reference to one, holding a control
character (NUL, a line break) or an invisible one (a zero-width space, a bidirectional
mark, a byte-order mark) is refused with its row: ``H1`` and ``H1`` + U+200B would
otherwise be two households that an officer cannot tell apart on paper.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from .._errors import Issue
from .origins import COLLECTIONS, Origins
from .text import LineDict

ID_FIELDS = {"id", "base", "sources", "source", "building"}
"""Fields that hold an id or refer to one."""


def _hidden(text: str) -> str | None:
    """The first control or invisible character of ``text`` as ``U+XXXX``, if any."""
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"):
            return f"U+{ord(ch):04X}"
    return None


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        out = type(value)({_nfc(k): _nfc(v) for k, v in value.items()})
        if isinstance(value, LineDict) and isinstance(out, LineDict):
            out.line = value.line
        return out
    return value


def check_ids(data: dict[str, Any], origins: Origins) -> list[Issue]:
    """Normalise every record of ``data`` in place; issues for ids with hidden characters."""
    issues: list[Issue] = []
    for coll in COLLECTIONS:
        records = data.get(coll)
        if not isinstance(records, list):
            continue
        for i, rec in enumerate(records):
            if not isinstance(rec, dict):
                continue
            rec = records[i] = _nfc(rec)
            file, row = origins.records.get((coll, i), (origins.scenario_file, None))
            for field in sorted(ID_FIELDS & set(rec)):
                values = rec[field] if isinstance(rec[field], list) else [rec[field]]
                for v in values:
                    bad = _hidden(v) if isinstance(v, str) else None
                    if bad:
                        issues.append(
                            Issue(
                                file,
                                origins.columns.get(coll, {}).get(field, field),
                                f"holds an invisible or control character ({bad})",
                                "type the id again without it (it may have been pasted in)",
                                row=row,
                                value=v,
                            )
                        )
    return issues
