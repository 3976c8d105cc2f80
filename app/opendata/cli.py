"""`flask opendata build`: make the public open-data files afresh (run from cron)."""

import click
from flask.cli import AppGroup

opendata_cli = AppGroup(
    "opendata",
    help="The public open-data files at /open-data (build them from cron, e.g. hourly).",
    short_help="Open-data files: build them (hourly from cron).",
)


@opendata_cli.command("build", short_help="Build stale open-data files (hourly from cron).")
@click.option("--force", is_flag=True, help="Build every file even if it is still fresh.")
def build_command(force: bool) -> None:
    """Build the open-data files older than OPEN_DATA_MINUTES; hourly from cron.

    Each file is written beside the old one and renamed over it, so a download never gets half
    a file. Prints each file and its rows; safe to run twice.
    """
    from app.opendata import exports

    for name, fmt, rows in exports.build_all(force=force):
        if rows is None:
            click.echo(f"{name}.{fmt}: still fresh, kept")
        else:
            click.echo(f"{name}.{fmt}: {rows} rows")
