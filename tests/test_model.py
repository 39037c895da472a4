"""The input contract rejects what a volunteer could get wrong and keeps units explicit."""

from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError

from ktj_logistics._scenario import (
    STANDARD_ITEM,
    Household,
    Location,
    Settings,
    TimeWindow,
    Vehicle,
)


def test_a_time_window_is_read_from_text() -> None:
    """'08:00-12:00' is the way coordinators write windows."""
    w = TimeWindow.model_validate("08:00-12:30")
    assert (w.start, w.end) == (time(8, 0), time(12, 30))
    assert w.as_seconds() == (8 * 3600, 12 * 3600 + 1800)


def test_an_inverted_window_is_rejected_with_a_fix() -> None:
    with pytest.raises(ValidationError, match="swap the two times"):
        TimeWindow.model_validate("14:00-09:00")


def test_unknown_fields_are_rejected_not_ignored() -> None:
    """A typo like 'paket' must not silently fall back to the default."""
    with pytest.raises(ValidationError, match="extra"):
        Household.model_validate({"id": "H1", "location": {"lat": -6.2, "lon": 106.8}, "paket": 3})


def test_household_demand_merges_standard_packages_and_items() -> None:
    h = Household(
        id="H1",
        location=Location(lat=-6.2, lon=106.8),
        packages_needed=2,
        items={"infant_pack": 1, "elderly_pack": 0},
    )
    assert h.demand() == {STANDARD_ITEM: 2, "infant_pack": 1}


@pytest.mark.parametrize(
    "field,value",
    [("capacity_packages", 0), ("capacity_kg", -1), ("speed_kmh", 0), ("kind", "helicopter")],
)
def test_vehicle_rejects_impossible_values(field: str, value: object) -> None:
    data = {"id": "v", "kind": "car", "base": "b", "capacity_packages": 4, "capacity_kg": 100}
    data[field] = value
    with pytest.raises(ValidationError):
        Vehicle.model_validate(data)


def test_settings_always_know_the_standard_package() -> None:
    s = Settings.model_validate(
        {"planning_date": "2021-06-30", "items": {"infant_pack": {"weight_kg": 2}}}
    )
    assert STANDARD_ITEM in s.items and "infant_pack" in s.items


def test_settlement_type_is_normalised() -> None:
    h = Household(
        id="H", location=Location(lat=-6.2, lon=106.8), settlement_type="Dense Settlement"
    )
    assert h.settlement_type == "dense_settlement"
