"""``ktj-route campaign init|import|plan|record|status``: the daily loop of a campaign.

Every command works on one campaign store (``--store``, default ``campaign.db``, or
``KTJ_CAMPAIGN_STORE``) and a day (``--date``, default today). Changes are printed one
line per row, households by id only. Each command imports the part of the campaign
it needs when it runs: an import or a record of results never loads the engine.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from .._errors import InputError, Issue
from .._i18n import LANGS
from .common import app, errors, out, print_warnings, show_logs
from .plan_cmd import summary_table

if TYPE_CHECKING:
    from .._campaign import Campaign, ImportReport

campaign_app = typer.Typer(
    name="campaign",
    help="A campaign of many days: import lists, plan each day, record results, report.",
    no_args_is_help=True,
)
app.add_typer(campaign_app, name="campaign")

StoreOption = Annotated[
    Path,
    typer.Option("--store", "-s", envvar="KTJ_CAMPAIGN_STORE", help="The campaign's SQLite file."),
]
DateOption = Annotated[
    str | None, typer.Option("--date", "-d", help="The day, YYYY-MM-DD (default: today).")
]
DEFAULT_STORE = Path("campaign.db")


def _day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(
            [Issue("command line", "--date", "not a date", "write it as YYYY-MM-DD", value=text)]
        ) from None


def _say(line: str) -> None:
    out().print(line, highlight=False, markup=False)


@campaign_app.command("init")
def init_command(
    config: Annotated[Path, typer.Argument(help="The campaign file (campaign.yaml).")],
    store: StoreOption = DEFAULT_STORE,
    day: DateOption = None,
) -> None:
    """Start a campaign: a new store; the day template's stock is the first receipt."""
    from .._campaign import init_campaign

    with errors():
        when = _day(day)
        init_campaign(config, store, when).close()
    _say(f"Campaign started on {when} in {store}.")


def _print_import(report: ImportReport, all_rows: bool) -> None:
    for ch in report.changes:
        if ch.change == "unchanged" and not all_rows:
            continue
        where = f"row {ch.row}" if ch.row is not None else "(absent)"
        fields = f" [{', '.join(ch.fields)}]" if ch.fields else ""
        detail = f": {ch.detail}" if ch.detail else ""
        _say(f"{where:>10}  {ch.household_id}  {ch.change}{fields}{detail}")
    counts = ", ".join(f"{n} {name}" for name, n in report.counts().items() if n)
    _say(f"{report.file} ({report.rows} rows) for {report.day}: {counts or 'nothing'}.")


@campaign_app.command("import")
def import_command(
    households: Annotated[
        Path | None, typer.Argument(help="The day's household list (.csv or .xlsx).")
    ] = None,
    store: StoreOption = DEFAULT_STORE,
    day: DateOption = None,
    complete: Annotated[
        bool,
        typer.Option(
            "--complete",
            help="The list is the whole roster of its kelurahan: close households it lacks.",
        ),
    ] = False,
    stock: Annotated[
        Path | None, typer.Option("--stock", help="Stock received (source, item, quantity).")
    ] = None,
    all_rows: Annotated[bool, typer.Option("--all-rows", help="Print unchanged rows too.")] = False,
) -> None:
    """Merge the day's household list into the store (and record stock received)."""
    from .._campaign import merge_list, open_campaign, read_household_list, record_stock

    with errors():
        if households is None and stock is None:
            raise InputError(
                [Issue("command line", "HOUSEHOLDS", "nothing to import", "give a list or --stock")]
            )
        when = _day(day)
        c = open_campaign(store)
        try:
            listed = None
            if households is not None:
                listed = read_household_list(households, c.template())
            # The list and the stock sheet are one change: a crash between two commits
            # would leave the households merged and the stock not received.
            with c.store.transaction():
                report = None
                if listed is not None:
                    report = merge_list(c.store, listed, c.config.rules, when, complete)
                got = record_stock(c, stock, when) if stock is not None else None
        finally:
            c.close()
        if report is not None:
            print_warnings(list(report.warnings))
            _print_import(report, all_rows)
        if stock is not None and got is not None:  # got is None only without --stock
            print_warnings(list(got.warnings))
            total = sum(r.quantity for r in got.receipts)
            if got.already:
                _say(f"{stock.name} was already recorded for {when}; not counted again.")
            else:
                _say(f"{stock.name}: {len(got.receipts)} receipt(s), {total} item(s) in all.")


@campaign_app.command("plan")
def plan_command(
    store: StoreOption = DEFAULT_STORE,
    day: DateOption = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder (default: out_dir/DAY).")
    ] = None,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", min=0.001, help="Seconds of search.")
    ] = None,
    deterministic: Annotated[
        bool | None, typer.Option("--deterministic/--no-deterministic")
    ] = None,
    again: Annotated[
        bool, typer.Option("--again", help="Plan a planned day anew (no results recorded yet).")
    ] = False,
    vehicles: Annotated[
        Path | None, typer.Option("--vehicles", help="Today's vehicles instead of the template's.")
    ] = None,
    formats: Annotated[list[str] | None, typer.Option("--format", "-f")] = None,
    lang: Annotated[str, typer.Option("--lang", help="id or en.")] = "id",
    redact: Annotated[bool, typer.Option("--redact")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary table.")] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True)] = 0,
) -> None:
    """Plan the day from the store: who is due, today's fleet and the stock left."""
    from .._campaign import DayOptions, open_campaign, plan_day
    from .._report import ReportOptions

    show_logs(verbose)
    with errors():
        if lang not in LANGS:
            raise InputError(
                [Issue("command line", "--lang", f"unknown language {lang!r}", "use id or en")]
            )
        when = _day(day)
        c = open_campaign(store)
        try:
            options = DayOptions(
                time_limit_s=time_limit,
                deterministic=deterministic,
                again=again,
                vehicles=vehicles,
                out_dir=out_dir,
                formats=formats,
                report=ReportOptions(lang=lang, redact=redact),
            )
            done = plan_day(c, when, options)
        finally:
            c.close()
    if done.pending:
        _say(f"Note: {done.pending} planned delivery(ies) of earlier days have no result yet.")
    if done.plan is None:
        _say(f"Nobody is due on {when}; no plan made.")
        return
    if done.reused:
        _say(f"Plan {done.plan_id} of {when} was already issued; its files were written again")
        _say("(use --again to plan the day anew while no result is recorded).")
    elif not quiet:
        summary_table(done.plan, lang)
    t = done.plan.totals
    _say(
        f"Plan {done.plan_id} for {when}: {done.due} due, {t.served} on the sheets,"
        f" {t.unserved} left out; {len(done.written)} files in {done.out_dir}."
    )


@campaign_app.command("record")
def record_command(
    results: Annotated[Path, typer.Argument(help="Officers' results (.csv or .xlsx).")],
    store: StoreOption = DEFAULT_STORE,
    day: DateOption = None,
) -> None:
    """Record officers' results of the day: delivered, nobody_home, moved_to_hospital…"""
    from .._campaign import open_campaign, record_results

    with errors():
        when = _day(day)
        c = open_campaign(store)
        try:
            report = record_results(c, results, when)
        finally:
            c.close()
        print_warnings(list(report.warnings))
    for ch in report.changes:
        if ch.change != "unchanged":
            detail = f" ({ch.detail})" if ch.detail else ""
            _say(f"row {ch.row:>5}  {ch.household_id}  {ch.change}: {ch.result}{detail}")
    counts = ", ".join(f"{n} {name}" for name, n in sorted(report.counts().items()))
    _say(f"{results.name} for plan {report.plan_id} ({when}): {counts or 'nothing'}.")


def _status_table(c: Campaign, when: date, out_dir: Path, charts: bool) -> None:
    from .._campaign import campaign_status, write_status

    status = campaign_status(c, when)
    written = write_status(status, out_dir, charts)
    table = Table(title=f"{status.name} — {when}", title_justify="left")
    for col in ("day", "plan", "due", "on sheets", "delivered", "retry", "longest wait", "over N"):
        table.add_column(col, justify="left" if col in ("day", "plan") else "right")
    for d in status.days:
        retry = sum(d.results.get(r, 0) for r in ("nobody_home", "not_visited", "wrong_address"))
        table.add_row(
            str(d.day),
            d.plan_id or "-",
            str(d.due),
            str(d.on_sheets),
            str(d.delivered),
            str(retry),
            str(d.max_wait),
            str(d.over_limit),
        )
    out().print(table)
    standing = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in status.standings.items())
    _say(f"Households on {when}: {standing or 'none'}.")
    for s in status.stock:
        if s.day == when:
            _say(f"  stock {s.source_id} {s.item}: +{s.received} -{s.used} = {s.left} left")
    _say(f"Wrote {len(written)} files in {out_dir}.")


@campaign_app.command("status")
def status_command(
    store: StoreOption = DEFAULT_STORE,
    day: DateOption = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="Report folder (default: out_dir/status).")
    ] = None,
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="PNG charts.")] = True,
) -> None:
    """Report the campaign day by day: due, served, waiting per kelurahan, stock."""
    from .._campaign import open_campaign

    with errors():
        when = _day(day)
        c = open_campaign(store)
        try:
            target = out_dir or c.config_path.parent / c.config.out_dir / "status"
            _status_table(c, when, target, charts)
        finally:
            c.close()
