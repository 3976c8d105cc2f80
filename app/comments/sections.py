"""The discussion as a section of the idea page (ideas/ renders it without importing comments/)."""

from app.comments.queries import thread_section
from app.ideas.sections import register_idea_section

register_idea_section("comments", "comments/_section.html", thread_section, order=50)
