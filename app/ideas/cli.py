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


counts_cli = AppGroup("counts", help="The counts table (app/ideas/counts.py): check it against a fresh count, "
                      "or count afresh.", short_help="Idea counts: check or rebuild by hand.")


@counts_cli.command("check", short_help="Compare with a fresh count, by hand or from cron; 1 on drift.")
def counts_check_command() -> None:
    """Compare the counts table with a fresh count; exit 1 and list what differs."""
    from app.extensions import db
    from app.ideas.counts import drift

    found = drift(db.session.connection())
    db.session.rollback()
    if not found:
        click.echo("The counts are right.")
        return
    for (kind, key), (stored, fresh) in found.items():
        click.echo(f"{kind} {key or '-'}: stored {stored}, counted {fresh}")
    click.echo(f"{len(found)} counts differ: run `flask counts rebuild`.")
    raise SystemExit(1)


@counts_cli.command("rebuild", short_help="Count every idea afresh, by hand after a restore or TRUNCATE.")
def counts_rebuild_command() -> None:
    """Count every visible idea afresh into the counts table (writers wait meanwhile)."""
    from app.extensions import db
    from app.ideas.counts import rebuild

    rows = rebuild(db.session.connection())
    db.session.commit()
    # Written past the ORM: every kept count and page starts afresh.
    from app.core import cache

    cache.forget()
    click.echo(f"Counted afresh: {rows} counts.")
