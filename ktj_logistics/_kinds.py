"""The kinds of vehicles, sources and bases: the words the input and output share."""

from __future__ import annotations

from enum import StrEnum


class VehicleKind(StrEnum):
    motorbike = "motorbike"
    car = "car"
    van = "van"
    on_foot = "on_foot"


class SourceKind(StrEnum):
    polda = "polda"
    member_donation = "member_donation"
    donor = "donor"
    other = "other"


class BaseKind(StrEnum):
    polres = "polres"
    polsek = "polsek"
    ktj_post = "ktj_post"
    other = "other"
