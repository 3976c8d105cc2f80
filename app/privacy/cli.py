"""`flask privacy ...`: a person's data from the command line, and retention (run from cron)."""

from flask.cli import AppGroup

privacy_cli = AppGroup(
    "privacy",
    help="A person's data: export, deletion, and the retention job (run daily from cron).",
    short_help="Personal data: export, deletion, retention (daily from cron).",
)


@privacy_cli.command("enforce")
def enforce_command() -> None:
    """Apply the retention periods; daily from cron.

    Removes unconfirmed accounts, clears old sign-in addresses, deletes old outbox mail,
    warns and then erases inactive residents, and completes deletions whose grace period has
    passed. Prints what it did; safe to run twice.
    """
    import click
    from flask import current_app

    from app.privacy import retention

    try:
        result = retention.enforce()
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    config = current_app.config
    click.echo(f"unconfirmed accounts removed (older than {config['UNCONFIRMED_ACCOUNT_DAYS']} days): "
               f"{result.unconfirmed_removed}")
    click.echo(f"sign-in addresses cleared (older than {config['ADDRESS_RETENTION_DAYS']} days): "
               f"{result.addresses_cleared}")
    click.echo(f"outbox e-mails deleted (older than {config['OUTBOX_RETENTION_DAYS']} days): "
               f"{result.outbox_delivered_deleted} delivered, {result.outbox_given_up_deleted} given up")
    click.echo(f"inactivity warnings withdrawn (signed in since): {result.warnings_cleared}")
    click.echo(f"inactive accounts warned (no sign-in for {config['INACTIVE_ACCOUNT_YEARS']} years): "
               f"{result.inactive_warned}")
    click.echo(f"inactive accounts erased ({config['INACTIVE_ACCOUNT_WARNING_DAYS']} days after the warning): "
               f"{result.inactive_erased}")
    click.echo(f"inactive staff accounts (never erased; an admin reviews their roles): {result.inactive_staff}")
    click.echo(f"account deletions completed (grace period over): {result.deletions_completed}")


@privacy_cli.command("build-exports", short_help="Build waiting data exports, tidy old ones (cron, each minute).")
def build_exports_command() -> None:
    """Build waiting data exports and tidy old ones; every minute from cron (README).

    Builds each pending export into EXPORT_FOLDER and tells its person (a notice, and an
    e-mail with a one-time link), marks links past EXPORT_LINK_HOURS expired, and deletes the
    files of exports that were downloaded or expired, and files no export refers to (an erased
    person's) once an hour old. Prints what it did; safe to run twice.
    """
    import click

    from app.privacy import export

    result = export.build_exports()
    click.echo(f"exports built: {result.built}")
    click.echo(f"exports failed: {result.failed}")
    click.echo(f"links expired: {result.expired}")
    click.echo(f"files deleted (downloaded, expired or orphaned): {result.removed}")
