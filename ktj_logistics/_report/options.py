"""How artefacts are written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportOptions:
    """How artefacts are written: ``lang`` from ``i18n.LANGS``; ``redact`` for sharing."""

    lang: str = "id"
    redact: bool = False

    def __post_init__(self) -> None:
        from .._i18n import check_lang

        check_lang(self.lang)
