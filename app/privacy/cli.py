"""`flask privacy ...`: a person's data from the command line, and retention (run from cron)."""

from flask.cli import AppGroup

privacy_cli = AppGroup(
    "privacy",
    help="A person's data: export, deletion, and the retention job (run daily from cron).",
    short_help="Personal data: export, deletion, retention (daily from cron).",
)
