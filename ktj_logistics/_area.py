"""Areas of the city: which kecamatan, kelurahan or RW an officer (or a hub's stock) covers.

Households carry their kecamatan, kelurahan and RW; an ``OfficerArea`` lists names of
any of the three. Both sides become *place keys* (``kecamatan:TEBET``,
``kelurahan:TEBET TIMUR``, ``rw:TEBET TIMUR/5``) so the solver, the decomposition of
large days and the verifier all answer "is this household inside?" the same way.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator


def place_name(text: str) -> str:
    """A kecamatan or kelurahan name as compared: upper case, single spaces."""
    return " ".join(text.upper().split())


def rw_key(kelurahan: str, rw: str) -> str:
    """An RW as compared: ``KELURAHAN/number`` without leading zeros (``TEBET TIMUR/5``)."""
    number = rw.strip().lstrip("0") or "0"
    return f"{place_name(kelurahan)}/{number}"


class Placed(Protocol):
    """Anything with a kecamatan, kelurahan and RW (a household)."""

    @property
    def kecamatan(self) -> str: ...
    @property
    def kelurahan(self) -> str: ...
    @property
    def rw(self) -> str: ...


def place_keys(h: Placed) -> frozenset[str]:
    """The areas a household lies in, as keys an ``OfficerArea`` is matched against."""
    keys = set()
    if h.kecamatan.strip():
        keys.add(f"kecamatan:{place_name(h.kecamatan)}")
    if h.kelurahan.strip():
        keys.add(f"kelurahan:{place_name(h.kelurahan)}")
        if h.rw.strip():
            keys.add(f"rw:{rw_key(h.kelurahan, h.rw)}")
    return frozenset(keys)


_AREA_TEXT = re.compile(r"^\s*(kecamatan|kelurahan|rw)\s*:(.*)$", re.IGNORECASE)
_FLAG = re.compile(r"\(\s*(soft|hard)\s*\)\s*$", re.IGNORECASE)


class OfficerArea(BaseModel):
    """Where a vehicle's officer delivers (Polsek officers in their kecamatan, RW police in
    their RW), or which households a hub's stock is for.

    A household is inside when its kecamatan, its kelurahan or its RW (written
    ``KELURAHAN/RW``, e.g. ``TEBET TIMUR/05``) is listed; names compare case- and
    space-insensitively. ``hard``: the vehicle never serves outside (the verifier checks
    it); soft: each stop outside costs ``penalty_minutes`` of route time in the search.
    In a CSV cell: ``kecamatan:TEBET`` or ``kelurahan:TEBET TIMUR|TEBET BARAT``, with
    ``(soft)`` appended for a soft area.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kecamatan: list[str] = Field(default_factory=list)
    kelurahan: list[str] = Field(default_factory=list)
    rw: list[str] = Field(default_factory=list, description="KELURAHAN/RW, e.g. TEBET TIMUR/05")
    hard: bool = True
    penalty_minutes: Annotated[float, Field(ge=0, le=1440)] = 30.0

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if not isinstance(data, str):
            return data
        text, hard = data, True
        flag = _FLAG.search(text)
        if flag:
            text, hard = text[: flag.start()], flag.group(1).lower() == "hard"
        m = _AREA_TEXT.match(text)
        if not m:
            raise ValueError(
                f"'{data}' is not an area; write e.g. kecamatan:TEBET or "
                "kelurahan:TEBET TIMUR|TEBET BARAT (append (soft) for a soft area)"
            )
        names = [n.strip() for n in m.group(2).split("|") if n.strip()]
        return {m.group(1).lower(): names, "hard": hard}

    @model_validator(mode="after")
    def _not_empty(self) -> OfficerArea:
        if not (self.kecamatan or self.kelurahan or self.rw):
            raise ValueError("an area names at least one kecamatan, kelurahan or RW")
        for r in self.rw:
            if "/" not in r:
                raise ValueError(f"RW '{r}' must be written KELURAHAN/RW, e.g. TEBET TIMUR/05")
        return self

    def keys(self) -> frozenset[str]:
        """The place keys (see ``place_keys``) this area covers."""
        out = {f"kecamatan:{place_name(k)}" for k in self.kecamatan}
        out |= {f"kelurahan:{place_name(k)}" for k in self.kelurahan}
        for r in self.rw:
            kel, _, number = r.rpartition("/")
            out.add(f"rw:{rw_key(kel, number)}")
        return frozenset(out)

    def contains(self, h: Placed) -> bool:
        return bool(self.keys() & place_keys(h))

    def __str__(self) -> str:
        parts = [f"kecamatan {', '.join(self.kecamatan)}"] if self.kecamatan else []
        parts += [f"kelurahan {', '.join(self.kelurahan)}"] if self.kelurahan else []
        parts += [f"RW {', '.join(self.rw)}"] if self.rw else []
        return "; ".join(parts)
