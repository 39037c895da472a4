"""What a report may show of a household. Health data: redact when sharing.

With ``redact`` on, the name becomes a stable pseudonym, the phone number, street address,
RT/RW, notes and the health flags behind a priority disappear, and every coordinate is
rounded to ``COARSE_DECIMALS`` decimal places of a degree (0.001° is about 110 m at
Jakarta's latitude, so a point lands within about 80 m of where it was: the
neighbourhood, not the house). Household ids are kept (they are the coordinator's own
keys); give pseudonymous ids in the input if even those are sensitive.

Without ``redact``, a household without a name shows as its id, never as a pseudonym:
the officer reports back by the coordinator's key.
"""

from __future__ import annotations

import hashlib

from .._plan import Plan
from .._scenario import Household

COARSE_DECIMALS = 3
"""Decimal places of a degree kept by ``--redact`` (about 110 m)."""


def pseudonym(household_id: str) -> str:
    return "HH-" + hashlib.sha256(household_id.encode()).hexdigest()[:6].upper()


def coarse(value: float) -> float:
    return round(value, COARSE_DECIMALS)


def display_name(h: Household, redact: bool) -> str:
    if redact:
        return pseudonym(h.id)
    return h.name or h.id


def display_address(h: Household, redact: bool) -> str:
    if redact:
        return h.kelurahan
    area = ", ".join(
        p for p in (f"RT {h.rt}" if h.rt else "", f"RW {h.rw}" if h.rw else "", h.kelurahan) if p
    )
    return ", ".join(p for p in (h.address, area) if p)


def display_phone(h: Household, redact: bool) -> str:
    return "" if redact else h.phone


def shared_plan(plan: Plan, redact: bool) -> Plan:
    """The plan every artefact is made from: with ``redact``, coordinates coarsened and
    the priority reasons (which name health conditions) dropped. Idempotent."""
    if not redact:
        return plan
    routes = [
        r.model_copy(
            update={
                "stops": [
                    s.model_copy(update={"lat": coarse(s.lat), "lon": coarse(s.lon)})
                    for s in r.stops
                ]
            }
        )
        for r in plan.routes
    ]
    households = [o.model_copy(update={"contributions": []}) for o in plan.households]
    return plan.model_copy(update={"routes": routes, "households": households, "redacted": True})


def spreadsheet_safe(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    if text and text[0] in "=+-@\t\r":
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text
