"""The docs a newcomer reads link only to what a clone of the repository holds."""

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").rglob("*.md")])

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*(\S+)", re.M)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def _prose(text: str) -> str:
    """The text without code blocks and inline code, where brackets are not links."""
    return _CODE.sub("", _FENCE.sub("", text))


def links(text: str) -> list[str]:
    prose = _prose(text)
    return _LINK.findall(prose) + _REFERENCE.findall(prose)


def anchors(text: str) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens."""
    found = set()
    for heading in _HEADING.findall(_FENCE.sub("", text)):
        plain = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
        found.add(re.sub(r"[^\w\- ]", "", plain).replace(" ", "-"))
    return found


def problems(doc: Path, root: Path = ROOT) -> list[str]:
    """Every link of `doc` that does not resolve to a file inside `root` (or a heading in it)."""
    text = doc.read_text(encoding="utf-8")
    found = []
    for target in links(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # https:, mailto:: not ours to check
            continue
        path_part, _sep, anchor = target.partition("#")
        path = (doc.parent / unquote(path_part)).resolve() if path_part else doc
        if root.resolve() not in path.parents and path != root.resolve():
            found.append(f"{target}: outside the repository")
            continue
        if not path.exists():
            found.append(f"{target}: no such file")
            continue
        if anchor and path.suffix == ".md" and anchor not in anchors(path.read_text(encoding="utf-8")):
            found.append(f"{target}: no heading #{anchor} in {path.relative_to(root.resolve())}")
    return found


def test_there_are_docs_to_check():
    names = {doc.relative_to(ROOT).as_posix() for doc in DOCS}
    assert {"README.md", "CONTRIBUTING.md", "docs/architecture.md"} <= names


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves_inside_the_repository(doc):
    found = problems(doc)
    assert not found, f"{doc.relative_to(ROOT)}:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.relative_to(ROOT).as_posix())
def test_no_doc_points_outside_the_repository_to_shared_notes(doc):
    assert "../shared" not in doc.read_text(encoding="utf-8"), (
        f"{doc.relative_to(ROOT)} points to ../shared, which a clone does not have"
    )


@pytest.mark.skipif(not shutil.which("git") or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_no_doc_links_to_a_file_git_ignores():
    """A file that exists here but is ignored (instance/, static/vendor/) is missing in a clone."""
    targets = set()
    for doc in DOCS:
        for target in links(doc.read_text(encoding="utf-8")):
            path_part = target.partition("#")[0]
            if path_part and not re.match(r"^[a-z][a-z0-9+.-]*:", path_part, re.I):
                path = (doc.parent / unquote(path_part)).resolve()
                if ROOT in path.parents:
                    targets.add(path.relative_to(ROOT).as_posix())
    if not targets:
        return
    ignored = subprocess.run(
        ["git", "check-ignore", "--stdin"], cwd=ROOT, input="\n".join(sorted(targets)),
        capture_output=True, text=True,
    ).stdout.split()
    assert not ignored, f"docs link to files git ignores: {ignored}"


def test_the_check_finds_broken_links_and_anchors(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "real.md").write_text("# Local development\n", encoding="utf-8")
    doc = tmp_path / "docs" / "page.md"
    doc.write_text(
        "# Mine\n[ok](../real.md) [anchor](../real.md#local-development) [here](#mine)\n"
        "[gone](../missing.md) [bad anchor](../real.md#nowhere) [up](../../outside.md)\n"
        "[web](https://example.no) `[code](nowhere.md)`\n```\n[fenced](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    found = problems(doc, tmp_path)
    assert [f.split(":")[0] for f in found] == ["../missing.md", "../real.md#nowhere", "../../outside.md"]


def test_every_make_target_the_docs_name_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    named = set()
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        # Only in code (fenced blocks and `inline`): in prose "make" is an English word.
        code = "\n".join(m.group(0) for m in _FENCE.finditer(text)) + "\n".join(_CODE.findall(text))
        named |= set(re.findall(r"(?:^|[\s`=])make ([a-z][\w-]*)", code, re.M))
    missing = sorted(named - targets)
    assert not missing, f"the docs name make targets the Makefile lacks: {missing}"
