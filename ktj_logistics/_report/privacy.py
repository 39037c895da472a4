"""What a report may show of a household. Health data: redact when sharing.

With ``redact`` on, the name becomes a stable pseudonym, the phone number disappears and
the street address shrinks to RT/RW and kelurahan. Household ids are kept (they are the
coordinator's own keys); give pseudonymous ids in the input if even those are sensitive.
"""

from __future__ import annotations

import hashlib

from .._scenario import Household


def pseudonym(household_id: str) -> str:
    return "HH-" + hashlib.sha256(household_id.encode()).hexdigest()[:6].upper()


def display_name(h: Household, redact: bool) -> str:
    if redact or not h.name:
        return pseudonym(h.id)
    return h.name


def display_address(h: Household, redact: bool) -> str:
    area = ", ".join(
        p for p in (f"RT {h.rt}" if h.rt else "", f"RW {h.rw}" if h.rw else "", h.kelurahan) if p
    )
    if redact:
        return area
    return ", ".join(p for p in (h.address, area) if p)


def display_phone(h: Household, redact: bool) -> str:
    return "" if redact else h.phone


def spreadsheet_safe(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    if text and text[0] in "=+-@\t\r":
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text
