"""A person's data: what Medvirk holds, its export, the account's deletion, and retention."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)
