"""`flask initiatives expire`: close the collections whose time has run out."""

import click
from flask.cli import AppGroup

from app.initiatives.services import expire_collections

initiatives_cli = AppGroup(
    "initiatives", help="Innbyggerforslag: close collections whose time has run out; hourly or daily from cron.",
    short_help="Innbyggerforslag: expire ended collections, hourly or daily from cron.",
)


@initiatives_cli.command("expire", short_help="Expire ended collections; hourly or daily from cron.")
def expire_command() -> None:
    """Mark collections past INITIATIVE_COLLECTION_DAYS as expired; hourly or daily from cron.

    Pages show an ended collection as expired at once; this writes it, so lists, exports and
    the API agree. Safe to run twice.
    """
    done = expire_collections()
    click.echo(f"{done} collection{'s' if done != 1 else ''} expired")
