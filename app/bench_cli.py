"""`flask bench ...`: fill a database with benchmark data (the code lives in bench/ at the repo root)."""

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from app.core import cache
from app.extensions import db


def _bench_seed():
    try:
        from bench import seed
    except ImportError as error:  # an installed app without the repository beside it
        raise click.ClickException(
            "The bench package is not importable: run `flask --app wsgi bench ...` from the repository root."
        ) from error
    return seed


@click.group("bench", short_help="Benchmark data for `make bench`; by hand, never on real data.")
def bench_cli() -> None:
    """Benchmark data, by hand or through `make bench`: `flask bench seed`, `flask bench check`.

    Never on a database with real people in it: `seed --reset` empties every table.
    """


@bench_cli.command("seed")
@click.option("--ideas", type=int, default=1000, show_default=True)
@click.option("--votes", type=int, help="Default: 10 per idea.")
@click.option("--comments", type=int, help="Default: 5 per idea.")
@click.option("--users", type=int, help="Default: one per two ideas (at least 300).")
@click.option("--projects", type=int, help="Default: one per 50 ideas (at least 10).")
@click.option("--seed", "seed_value", type=int, default=42, show_default=True, help="Random seed.")
@click.option("--anchor", type=click.DateTime(["%Y-%m-%d"]),
              help="The data's 'today' (UTC). Default: today; give it to reproduce exact timestamps.")
@click.option("--create-schema", is_flag=True, help="create_all() + reference data for missing tables.")
@click.option("--reset", is_flag=True, help="Empty every table (but the SDGs) first.")
@click.option("--no-analyze", is_flag=True, help="Skip VACUUM ANALYZE / ANALYZE after the load.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@with_appcontext
def seed_command(ideas, votes, comments, users, projects, seed_value, anchor, create_schema, reset,
                 no_analyze, quiet) -> None:
    """Fill DATABASE_URL with benchmark data, by hand or `make bench`."""
    seed = _bench_seed()
    engine = db.engine
    missing = seed.missing_tables(engine)
    if missing and create_schema:
        seed.create_schema(engine)
    if reset:
        seed.reset_data(engine)
    spec = seed.SeedSpec.scaled(
        ideas, seed=seed_value, votes=votes, comments=comments, users=users, projects=projects,
        anchor=anchor.replace(tzinfo=UTC) if anchor else None,
    )
    click.echo(f"Seeding {engine.url.render_as_string(hide_password=True)}: {spec.ideas:,} ideas, "
               f"{spec.votes:,} votes, {spec.comments:,} comments, {spec.users:,} users, "
               f"{spec.projects:,} projects (seed {spec.seed}).")
    report = seed.seed(engine, spec, progress=not quiet, analyze=not no_analyze)
    # Written past the session: what the caches kept (pages, counts, in a shared Redis) is gone.
    cache.forget()
    click.echo(report.summary())
    anchor_day = (report.anchor or datetime.now(UTC)).date().isoformat()
    click.echo(f"Anchor {anchor_day}; idea with {seed.SHOWCASE_COMMENTS} comments: {report.showcase_idea_id}; "
               f"every user's password: {seed.BENCH_PASSWORD}")


@bench_cli.command("check")
@with_appcontext
def check_command() -> None:
    """Check the idea counters against their rows, by hand."""
    seed = _bench_seed()
    with db.engine.connect() as connection:
        mismatches = seed.counter_mismatches(connection)
    for name, n in mismatches.items():
        click.echo(f"{name}: {n} ideas differ")
    if any(mismatches.values()):
        raise click.ClickException("Counters do not match their rows.")
