"""The campaign: many days of deliveries kept in one SQLite store (docs/campaign.md).

``init_campaign`` makes the store; each day a household list is merged
(``read_household_list`` + ``merge_list``), stock received is recorded
(``record_stock``), the day is planned from the store (``plan_day``) and officers'
results are recorded (``record_results``); ``campaign_status`` and ``write_status``
report on the whole campaign; ``audit_store`` and ``accounting`` check that it is whole
and that every household stands somewhere. Each name is imported on first use
(``_lazy``): ``ktj-route campaign import`` and ``record`` never load the engine.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .audit import accounting, audit_store
    from .config import CampaignConfig, DeliveryRules, read_config
    from .context import Campaign, init_campaign, open_campaign
    from .day import DayInProgress, DayOptions, DayPlan, plan_day
    from .merge import ImportReport, RowChange, merge_list
    from .report import write_status
    from .results import EFFECTS, RESULTS, RecordReport, record_results
    from .roster import read_household_list
    from .status import CampaignStatus, campaign_status
    from .stock import StockReport, record_stock
    from .store import Store, StoreError
else:
    from .. import _lazy

    __getattr__, __dir__ = _lazy.lazy_exports(
        __name__,
        {
            ".audit": "accounting audit_store",
            ".config": "CampaignConfig DeliveryRules read_config",
            ".context": "Campaign init_campaign open_campaign",
            ".day": "DayInProgress DayOptions DayPlan plan_day",
            ".merge": "ImportReport RowChange merge_list",
            ".report": "write_status",
            ".results": "EFFECTS RESULTS RecordReport record_results",
            ".roster": "read_household_list",
            ".status": "CampaignStatus campaign_status",
            ".stock": "StockReport record_stock",
            ".store": "Store StoreError",
        },
    )

__all__ = [
    "EFFECTS",
    "RESULTS",
    "Campaign",
    "CampaignConfig",
    "CampaignStatus",
    "DayInProgress",
    "DayOptions",
    "DayPlan",
    "DeliveryRules",
    "ImportReport",
    "RecordReport",
    "RowChange",
    "StockReport",
    "Store",
    "StoreError",
    "accounting",
    "audit_store",
    "campaign_status",
    "init_campaign",
    "merge_list",
    "open_campaign",
    "plan_day",
    "read_config",
    "read_household_list",
    "record_results",
    "record_stock",
    "write_status",
]
