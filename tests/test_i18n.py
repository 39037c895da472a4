"""The message catalogue is complete in both languages and drives the CLI summary."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ktj_logistics import ReportOptions, UnservedReason
from ktj_logistics._cli.app import app
from ktj_logistics._i18n import LANGS, MESSAGES, t

TINY = Path(__file__).parent / "data" / "tiny" / "scenario.yaml"


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_every_language_with_the_same_placeholders(key: str) -> None:
    texts = MESSAGES[key]
    assert set(texts) == set(LANGS)
    assert all(texts.values())
    assert len({frozenset(_fields(v)) for v in texts.values()}) == 1


def test_every_unserved_reason_is_explained_in_both_languages() -> None:
    for reason in UnservedReason:
        assert t("id", f"reason.{reason.value}") != t("en", f"reason.{reason.value}")


def test_an_unknown_language_is_refused_not_silently_replaced() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        ReportOptions(lang="fr")


def test_cli_summary_is_indonesian_by_default_and_english_with_lang_en(tmp_path: Path) -> None:
    runner = CliRunner()
    indo = runner.invoke(app, ["plan", str(TINY), "--out", str(tmp_path / "id")])
    eng = runner.invoke(app, ["plan", str(TINY), "--out", str(tmp_path / "en"), "--lang", "en"])
    assert indo.exit_code == 0 and eng.exit_code == 0, indo.output + eng.output
    assert "Rumah tangga 4: terlayani 4" in indo.output
    assert "berkas ditulis" in indo.output
    assert "Households 4: served 4" in eng.output
    assert "Rumah tangga" not in eng.output
    summary_id = (tmp_path / "id" / "summary.txt").read_text(encoding="utf-8")
    summary_en = (tmp_path / "en" / "summary.txt").read_text(encoding="utf-8")
    assert summary_id.startswith("Rencana tiny") and summary_en.startswith("Plan tiny")


def test_cli_rejects_an_unknown_language_with_exit_code_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", str(TINY), "--out", str(tmp_path), "--lang", "xx"])
    assert result.exit_code == 2
    assert "--lang" in result.output
