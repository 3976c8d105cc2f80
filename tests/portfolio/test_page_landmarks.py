"""Landmarks a screen-reader user moves between are told apart by their names: no two regions
on a staff page share one (axe landmark-unique; found on the assessment page)."""

import re
from html import unescape

from app.accounts.models import Role
from app.extensions import db
from app.portfolio.models import Assessment
from tests.factories import login, make_user
from tests.portfolio.conftest import make_criteria, make_project


def region_names(html: str) -> list[str]:
    """The accessible name of every <section> and role=region (aria-label, or aria-labelledby's text)."""
    names = []
    for match in re.finditer(r"<(section|div)\b([^>]*)>", html):
        tag, attrs = match.groups()
        if tag == "div" and 'role="region"' not in attrs:
            continue
        label = re.search(r'aria-label="([^"]*)"', attrs)
        if label:
            names.append(unescape(label.group(1)))
            continue
        by = re.search(r'aria-labelledby="([^"]*)"', attrs)
        if by:
            texts = []
            for ref in by.group(1).split():
                element = re.search(rf'<(\w+)[^>]*\bid="{re.escape(ref)}"[^>]*>(.*?)</\1>', html, re.S)
                texts.append(re.sub(r"<[^>]+>", "", element.group(2)).strip() if element else f"#{ref}?")
            names.append(unescape(" ".join(texts)))
    return names


def test_assessment_page_regions_have_different_names(client, app):
    criteria = make_criteria()
    project = make_project()
    assessor = make_user(role=Role.PORTFOLIO_MANAGER)
    db.session.add(Assessment(project_id=project.id, criterion_id=criteria["risk"].id,
                              assessor_id=assessor.id, score=4, comment="Lav risiko"))
    db.session.commit()
    login(client, assessor)
    html = client.get(f"/staff/projects/{project.id}/assessment").get_data(as_text=True)
    names = region_names(html)
    assert "Alle vurderinger" in names and "Hver ansatts poengsum per kriterium" in names
    assert len(names) == len(set(names)), names
