"""`flask moderation ...`: the queue, decisions and the audit log from the command line."""

import sys

import click

from app.accounts.services import get_user_by_email
from app.core.csv import csv_lines
from app.core.errors import ServiceError
from app.moderation import bp, queries, services
from app.moderation.labels import DECISION_REASONS

bp.cli.help = "Moderation by hand: the queue, hide, restore or dismiss, the audit log, transparency figures."
bp.cli.short_help = "Moderation by hand: the queue, decisions, the audit log."


def _actor(email: str):
    user = get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with the e-mail {email}.")
    return user


@bp.cli.command("queue")
@click.option("--state", default="waiting", help="waiting, open, hidden, appealed, resolved or all")
@click.option("--kind", default="", help="idea or comment")
def queue_command(state: str, kind: str) -> None:
    """List the items waiting for a moderator, by hand."""
    filters = queries.QueueFilters.from_args({"state": state, "kind": kind})
    page = queries.queue_page(filters, 1, 100)
    click.echo(f"{page.total} item(s)")
    for entry in page.items:
        case = entry.case
        reasons = ", ".join(f"{reason}×{n}" for reason, n in entry.reasons)
        click.echo(f"#{case.id} {case.target_type.value} {case.target_id} [{case.state.value}] "
                   f"reports={case.open_report_count} {reasons}")


def _decision_command(decision: str):
    @click.argument("target_type", type=click.Choice(["idea", "comment"]))
    @click.argument("target_id", type=int)
    @click.option("--as", "email", required=True, help="The moderator's e-mail address.")
    @click.option("--reason", required=True, type=click.Choice(sorted(DECISION_REASONS)))
    @click.option("--note", default="", help="A note to the author.")
    def command(target_type: str, target_id: int, email: str, reason: str, note: str) -> None:
        try:
            services.moderate_item(_actor(email), target_type, target_id, decision, reason, note)
        except ServiceError as error:
            raise click.ClickException(error.message) from error
        click.echo(f"{decision}: {target_type} {target_id}")

    command.__doc__ = {
        "hide": "Hide an idea or comment, by hand (tells the author).",
        "restore": "Restore a hidden item, by hand (tells the author).",
        "dismiss": "Keep an item visible and dismiss its reports, by hand.",
    }[decision]
    return bp.cli.command(decision)(command)


for _decision in ("hide", "restore", "dismiss"):
    _decision_command(_decision)


@bp.cli.command("log")
@click.option("--since", default="", help="YYYY-MM-DD")
@click.option("--until", default="", help="YYYY-MM-DD")
@click.option("--action", default="")
def log_command(since: str, until: str, action: str) -> None:
    """Write the audit log as CSV to stdout, by hand or from cron.

    UTF-8 with a byte order mark and ';' between fields, as spreadsheets in Norway expect.
    """
    from app.moderation.staff_views import LOG_HEADER, log_rows

    filters = queries.LogFilters.from_args({"since": since, "until": until, "action": action})
    for line in csv_lines([str(h) for h in LOG_HEADER], log_rows(filters)):
        sys.stdout.write(line)


@bp.cli.command("transparency")
def transparency_command() -> None:
    """Print monthly transparency figures, by hand."""
    click.echo("month    reported hidden restored appealed granted rejected")
    for m in queries.transparency(12):
        click.echo(f"{m.month:%Y-%m}  {m.reported:8} {m.hidden:6} {m.restored:8} {m.appealed:8} "
                   f"{m.appeals_granted:7} {m.appeals_rejected:8}")
