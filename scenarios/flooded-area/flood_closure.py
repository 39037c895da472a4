"""Closes flooded RWs to cars and vans: only motorbikes and officers on foot get through.

Flood reports arrive per RW (e.g. from the BPBD), so the closed area is configured as a
kelurahan and its RWs: ``plugins: {flood_closure: {kelurahan: ..., rw: [...]}}``.
"""

from pydantic import BaseModel, ConfigDict, Field

from ktj_logistics import AccessRule, Household, VehicleKind, hookimpl


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kelurahan: str
    rw: list[str] = Field(min_length=1)
    closed_to: list[VehicleKind] = [VehicleKind.car, VehicleKind.van]


class Plugin:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.rws = {r.lstrip("0") for r in config.rw}

    @hookimpl
    def ktj_vehicle_access(self, household: Household) -> list[AccessRule] | None:
        c = self.config
        if household.kelurahan.upper() != c.kelurahan.upper():
            return None
        if household.rw.lstrip("0") not in self.rws:
            return None
        reason = f"RW {household.rw} is flooded; roads closed to {', '.join(c.closed_to)}"
        return [AccessRule(kind, allowed=False, reason=reason) for kind in c.closed_to]
