"""`flask outbox deliver`: send what is due, once or as a long-running worker."""

import logging
import math
import time

import click
from flask.cli import AppGroup
from sqlalchemy.exc import InterfaceError, OperationalError

from app.extensions import db
from app.notifications.mail import deliver_due

ROUND = 100  # messages per round of the worker
MAX_PAUSE = 60.0  # seconds, the longest wait after rounds that failed
log = logging.getLogger("medvirk.mail")


def _seconds(_ctx, param, value: str) -> float:
    # Not click.FloatRange: it lets "nan" through to a ValueError with a traceback.
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or not 0.1 <= seconds <= 3600:
        raise click.BadParameter("give a number of seconds from 0.1 to 3600", param=param)
    return seconds


outbox_cli = AppGroup("outbox", help="The e-mail outbox: deliver what is due, from cron or as a worker.",
                       short_help="Send queued e-mail: from cron each minute, or as a worker.")


@outbox_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep running: deliver what is due, then wait --interval, and again.")
@click.option("--interval", default="0.5", show_default=True, callback=_seconds, metavar="SECONDS",
              help="Seconds between rounds (0.1 to 3600).")
def deliver_command(loop: bool, interval: float) -> None:
    """Deliver due e-mail: cron each minute, or --loop as a worker.

    Failed ones are retried later with backoff; each message is sent once, so it is safe to
    run twice or from several hosts. As the worker (with MAIL_WORKER on) it is what sends the
    e-mail requests queue: a round that found a full batch is followed at once by the next.
    """
    if not loop:
        sent, failed = deliver_due(ROUND)
        click.echo(f"sent {sent}, failed {failed}")
        raise SystemExit(1 if failed else 0)
    pause = interval
    while True:
        try:
            sent, failed = deliver_due(ROUND)
        except (OperationalError, InterfaceError) as error:  # the database went away: wait, try again
            log.warning("E-mail delivery round failed (%s); trying again in %.1f s", type(error).__name__, pause)
            db.session.remove()
            time.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE)
            continue
        pause = interval
        if sent or failed:
            click.echo(f"sent {sent}, failed {failed}")
        if sent + failed < ROUND:
            time.sleep(interval)


notifications_cli = AppGroup("notifications", help="Notices that wait for a digest: send them by e-mail.",
                             short_help="Digest e-mails: from cron, daily 07:00 and weekly.")


@notifications_cli.command("digest")
@click.argument("channel", type=click.Choice(["daily", "weekly"]))
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 5000),
              help="People per transaction.")
def digest_command(channel: str, batch_size: int) -> None:
    """Send a digest: from cron, daily 07:00, weekly on Mondays.

    One e-mail per person with every notice routed to that digest and not yet e-mailed;
    safe to run twice or at once from two hosts: no notice is sent twice.
    """
    from app.notifications.digest import send_digests

    people, items = send_digests(channel, batch_size=batch_size)
    click.echo(f"{channel} digest: {people} people, {items} notices")
