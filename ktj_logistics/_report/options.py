"""How artefacts are written."""

from __future__ import annotations

from dataclasses import dataclass

from .._cost import TravelModel


@dataclass(frozen=True)
class ReportOptions:
    """How artefacts are written: ``lang`` from ``i18n.LANGS``; ``redact`` for sharing;
    ``travel`` draws legs along the roads (by default the plan's or the scenario's
    travel model). ``plan_id`` is set by ``write_outputs`` (the hash of the plan as
    written), so every sheet and message names the plan it belongs to.
    """

    lang: str = "id"
    redact: bool = False
    travel: TravelModel | None = None
    plan_id: str = ""

    def __post_init__(self) -> None:
        from .._i18n import check_lang

        check_lang(self.lang)
