"""An open campaign: its store, its campaign file and the day template it names."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .._errors import InputError, Issue
from .._load import Loaded, load
from .config import CampaignConfig, read_config
from .store import Store, StoreError, now


@dataclass
class Campaign:
    store: Store
    config: CampaignConfig
    config_path: Path
    _template: Loaded | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def start(self) -> date:
        value = self.store.meta("start")
        assert value is not None
        return date.fromisoformat(value)

    def template(self) -> Loaded:
        """The day template, loaded and checked (once per command)."""
        if self._template is None:
            self._template = load(self.config_path.parent / self.config.day)
        return self._template

    def day_dir(self, day: date) -> Path:
        return self.config_path.parent / self.config.out_dir / day.isoformat()

    def close(self) -> None:
        self.store.close()


def init_campaign(config_path: Path, store_path: Path, start: date) -> Campaign:
    """Create the store of a new campaign; the template's stock is the first receipt.

    Schema, campaign details and the first stock are one transaction: a crash leaves
    no campaign or a whole one.
    """
    config = read_config(config_path)
    campaign_path = config_path.resolve()
    template = load(campaign_path.parent / config.day)
    if template.scenario.households:
        raise InputError(
            [
                Issue(
                    config.day,
                    "households",
                    f"the day template lists {len(template.scenario.households)} households",
                    "leave households empty (households: []); each day's come from the store",
                )
            ]
        )
    meta = {
        "name": config.name,
        "config": str(campaign_path),
        "start": start.isoformat(),
        "created_at": now(),
    }

    def first_stock(c: sqlite3.Connection) -> None:
        template_file = campaign_path.parent / config.day
        summary = {"receipts": sum(len(s.stock) for s in template.scenario.sources)}
        import_id = Store.insert_import(c, "stock", start.isoformat(), template_file, summary)
        c.executemany(
            "INSERT INTO stock_receipts (import_id, day, source_id, item, quantity)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (import_id, start.isoformat(), s.id, item, n)
                for s in template.scenario.sources
                for item, n in sorted(s.stock.items())
            ],
        )

    store = Store.create(store_path, meta, first_stock)
    return Campaign(store, config, campaign_path, template)


def open_campaign(store_path: Path, config_path: Path | None = None) -> Campaign:
    """An existing campaign; its campaign file is the one recorded at init unless given."""
    store = Store.open(store_path)
    recorded = store.meta("config")
    if recorded is None:
        store.close()
        raise StoreError(f"{store_path} holds no campaign (was init interrupted?); run init")
    path = (config_path or Path(recorded)).resolve()
    try:
        config = read_config(path)
    except InputError:
        store.close()
        raise
    return Campaign(store, config, path)
