"""`flask portfolio ...`: answer ideas and list overdue ones from the shell, through the same services."""

import click
from sqlalchemy import select

from app.accounts.models import User
from app.core.errors import ServiceError
from app.core.pagination import paginate
from app.extensions import db
from app.portfolio import answers, bp, queries

bp.cli.help = "Answer ideas and see the answer inbox, by hand (the inbox also from cron, for a daily list)."
bp.cli.short_help = "Answer ideas and list the answer inbox, by hand or from cron."


def _staff(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user with the e-mail {email}.")
    return user


@bp.cli.command("set-status")
@click.argument("idea_id", type=int)
@click.argument("status")
@click.option("--explanation", default="", help="The public answer (required for accepted/declined).")
@click.option("--as", "email", required=True, help="E-mail of the portfolio manager acting.")
def set_status(idea_id: int, status: str, explanation: str, email: str) -> None:
    """Move an idea to a new status, by hand.

    STATUS: under_review, accepted, in_progress, implemented or declined.
    """
    try:
        change = answers.change_idea_status(_staff(email), answers.get_idea(idea_id), status, explanation)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Idea {idea_id}: {change.from_status} -> {change.to_status}")


@bp.cli.command("merge")
@click.argument("idea_id", type=int)
@click.argument("into_id", type=int)
@click.option("--explanation", required=True, help="The public explanation.")
@click.option("--as", "email", required=True, help="E-mail of the portfolio manager acting.")
def merge(idea_id: int, into_id: int, explanation: str, email: str) -> None:
    """Merge one idea into another, by hand.

    IDEA_ID goes into INTO_ID; its voters count on INTO_ID once each.
    """
    try:
        into = answers.get_idea(into_id)
        answers.merge_ideas(_staff(email), answers.get_idea(idea_id), into, explanation)
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Idea {idea_id} merged into {into_id}; it now has {into.vote_count} votes.")


@bp.cli.command("inbox")
@click.option("--overdue", is_flag=True, help="Only ideas past their due date.")
@click.option("--limit", default=50, show_default=True)
def inbox(overdue: bool, limit: int) -> None:
    """List unanswered ideas and due dates, by hand or from cron."""
    page = paginate(queries.inbox_query(), 1, limit, scalars=False)
    for idea, reached in page.items:
        item = queries.inbox_item(idea, reached)
        if overdue and not item.overdue:
            continue
        flag = "OVERDUE" if item.overdue else f"{item.days_left} days left"
        click.echo(f"{idea.id:>6}  {item.due_at:%Y-%m-%d}  {flag:<16} {idea.vote_count:>5} votes  {idea.title}")
    click.echo(f"{page.total} unanswered in all.")


@bp.cli.command("import-systems", short_help="Import the systems register from a CSV file, by hand.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--as", "email", required=True, help="E-mail of the portfolio manager or admin importing.")
@click.option("--dry-run", is_flag=True, help="Check the file and store nothing.")
def import_systems(path: str, email: str, dry_run: bool) -> None:
    """Import systems in use from a CSV file, by hand: every row or, with one mistake, none.

    The format is the import page's (/staff/systems/import), UTF-8 with ; or , between cells:
    navn;leverandør;eierområde;brukes_av;kontraktslutt;beskrivelse;nettadresse. A system whose
    name is already in the register is updated. Mistakes are printed with their line numbers.
    """
    from app.portfolio import systems

    with open(path, "rb") as handle:
        data = handle.read(systems.max_import_bytes() + 1)
    try:
        result = systems.import_systems(_staff(email), data, dry_run=dry_run)
    except systems.ImportRejected as error:
        for mistake in error.errors:
            where = f"line {mistake.line}" + (f", {mistake.column}" if mistake.column else "")
            click.echo(f"{where}: {mistake.message}", err=True)
        raise click.ClickException(error.message) from None
    except ServiceError as error:
        raise click.ClickException(error.message) from None
    verb = "Would import" if dry_run else "Imported"
    click.echo(f"{verb} {result.rows} rows from {path}: {len(result.created)} new, "
               f"{len(result.updated)} updated, {len(result.unchanged)} unchanged.")
    for label, names in (("new", result.created), ("updated", result.updated)):
        for name in names:
            click.echo(f"  {label}: {name}")
    if dry_run:
        click.echo("Nothing was stored (--dry-run).")
