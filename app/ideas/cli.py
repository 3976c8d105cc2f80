"""`flask uploads clean`: remove pictures that were stored for an idea never published."""

from datetime import timedelta

import click
from flask.cli import AppGroup

from app.ideas.images import clean_unattached

uploads_cli = AppGroup("uploads", help="Uploaded pictures on disk: clean out the unused ones daily from cron.",
                        short_help="Uploaded pictures: clean out unused ones daily from cron.")


def _size(n: int) -> str:
    return f"{n} bytes" if n < 1024 * 1024 else f"{n} bytes, {n / (1024 * 1024):.1f} MB"


@uploads_cli.command("clean")
@click.option("--older-than", "hours", default=24.0, show_default=True, type=click.FloatRange(min=0),
              help="Hours a picture may wait for its idea before it goes.")
@click.option("--dry-run", is_flag=True, help="Say what would go, remove nothing.")
def clean_command(hours: float, dry_run: bool) -> None:
    """Remove pictures no idea uses; daily from cron.

    Also half-written temporary files; only files older than --older-than hours go.
    """
    result = clean_unattached(timedelta(hours=hours), dry_run=dry_run)
    verb = "would be removed" if dry_run else "removed"
    click.echo(f"{result.removed} {verb} ({_size(result.removed_bytes)}); kept {result.kept_attached} "
               f"in use and {result.kept_young} younger than {hours:g} hours")
