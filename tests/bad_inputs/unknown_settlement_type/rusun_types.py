"""Adds the settlement type of public rental flats (rusun)."""

from ktj_logistics import hookimpl


@hookimpl
def ktj_settlement_types() -> list[str]:
    return ["rusun"]
