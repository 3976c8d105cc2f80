"""`flask --help` explains every command of ours: what it does and when to run it."""

import click
import pytest

# Flask's own, Flask-Migrate's (`db`) and Flask-Limiter's commands are not ours to word.
THIRD_PARTY = {"db", "limiter", "run", "shell", "routes"}
# How an operator knows when to run it: from cron (or as a worker), or by hand.
WHEN = ("cron", "by hand", "worker")
# Wide enough for a command's name in an 80-column terminal: a longer help is cut off there.
LISTING_WIDTH = 64


def _ours(app) -> list[tuple[str, click.Command]]:
    found = []

    def walk(prefix: str, command: click.Command) -> None:
        found.append((prefix, command))
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}", sub)

    for name, command in app.cli.commands.items():
        if name not in THIRD_PARTY:
            walk(name, command)
    return found


def test_every_group_of_ours_is_found(app):
    groups = {name for name, command in _ours(app) if isinstance(command, click.Group)}
    assert {"users", "outbox", "uploads", "bench", "portfolio", "moderation"} <= groups


@pytest.mark.parametrize("kind", ["group", "command"])
def test_every_command_has_a_one_line_help_that_says_when_to_run_it(app, kind):
    problems = []
    for name, command in _ours(app):
        if (kind == "group") != isinstance(command, click.Group):
            continue
        short = command.get_short_help_str(limit=LISTING_WIDTH)
        if not short.strip():
            problems.append(f"flask {name}: no help")
        elif short.endswith("..."):
            problems.append(f"flask {name}: cut off in the listing: {short!r}")
        elif not any(word in short.lower() for word in WHEN):
            problems.append(f"flask {name}: does not say when to run it (cron or by hand): {short!r}")
    assert not problems, "\n".join(problems)


def test_flask_help_lists_every_group_with_its_help(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["--help"])
    assert result.exit_code == 0, result.output
    for name in ("users", "outbox", "uploads", "bench", "portfolio", "moderation", "seed-demo"):
        line = next((line for line in result.output.splitlines() if line.strip().startswith(name + " ")), "")
        assert line.split(name, 1)[1].strip(), f"`flask --help` shows no help for {name}:\n{result.output}"
