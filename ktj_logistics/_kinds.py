"""The kinds of vehicles, sources and bases: the words the input and output share."""

from __future__ import annotations

from enum import StrEnum


class VehicleKind(StrEnum):
    motorbike = "motorbike"
    car = "car"
    van = "van"
    truck = "truck"
    on_foot = "on_foot"


class SourceKind(StrEnum):
    polda = "polda"
    member_donation = "member_donation"
    donor = "donor"
    other = "other"


class HubKind(StrEnum):
    """Where staged stock waits for the officers who deliver it."""

    polsek = "polsek"
    kelurahan_office = "kelurahan_office"
    rw_post = "rw_post"
    other = "other"


class VehicleRole(StrEnum):
    """``delivery`` vehicles serve households; ``trunk`` vehicles only move stock to hubs."""

    delivery = "delivery"
    trunk = "trunk"


class BaseKind(StrEnum):
    polres = "polres"
    polsek = "polsek"
    ktj_post = "ktj_post"
    other = "other"
