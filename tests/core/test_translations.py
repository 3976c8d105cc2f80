"""Every user-facing string is translated: nynorsk and English catalogues are complete and sound."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def source_ids(tmp_path_factory) -> set:
    """The msgids in the code and templates today, extracted afresh as `make extract` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "--no-location", "app", "templates"],
        cwd=ROOT, check=True, capture_output=True,
    )
    return {m.id for m in _catalogue(pot) if m.id}


@pytest.mark.parametrize("locale", ["nn", "en"])
def test_catalogue_translates_every_string_in_the_code(source_ids, locale):
    catalogue = _catalogue(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po")
    translated = {
        m.id for m in catalogue
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(str(i) for i in source_ids - translated)
    assert not missing, f"{len(missing)} strings lack a {locale} translation (run `make extract`):\n" + "\n".join(
        missing[:40]
    )


@pytest.mark.parametrize("locale", ["nn", "en"])
def test_translations_keep_the_placeholders(locale):
    catalogue = _catalogue(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po")
    wrong = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) - wanted:
                wrong.append((ids[0], text))
            # The singular may leave the number out ("one day"); everything else keeps them all.
            if text and len(strings) == 1 and set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((ids[0], text))
    assert not wrong, "\n".join(f"{i!r} -> {t!r}" for i, t in wrong[:20])
