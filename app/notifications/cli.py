"""`flask outbox deliver`: send what is due, once or as a long-running worker."""

import time

import click
from flask.cli import AppGroup

from app.notifications.mail import deliver_due

outbox_cli = AppGroup("outbox", help="The e-mail outbox: deliver what is due, from cron or as a worker.",
                       short_help="Send queued e-mail: from cron each minute, or as a worker.")


@outbox_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep running and deliver every few seconds.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between rounds.")
def deliver_command(loop: bool, interval: float) -> None:
    """Deliver due e-mail: cron each minute, or --loop as a worker.

    Failed ones are retried later with backoff; each message is sent once, so it is safe to
    run twice or from several hosts.
    """
    while True:
        sent, failed = deliver_due()
        if sent or failed or not loop:
            click.echo(f"sent {sent}, failed {failed}")
        if not loop:
            raise SystemExit(1 if failed else 0)
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
