"""`core` knows no domain: no module in app/core imports one (DESIGN.md, dependencies point one way)."""

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "app" / "core"
DOMAINS = (
    "accessibility", "accounts", "api", "comments", "ideas", "initiatives",
    "moderation", "notifications", "portfolio", "privacy",
)


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):  # every import, also those inside functions
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # `from app import accounts` names a domain too
            if node.module == "app":
                found += [(node.lineno, f"app.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            # relative: from .. import accounts / from ..ideas import x, seen from app/core
            base = "app" if node.level == 2 else "app.core"
            found.append((node.lineno, f"{base}.{node.module}" if node.module else base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names if not node.module]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module", "__import__",
        ) and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.append((node.lineno, node.args[0].value))
    return found


def _domain_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "app" and parts[1] in DOMAINS:
        return parts[1]
    return None


def test_the_check_sees_every_kind_of_import():
    source = (
        "import app.ideas.models\n"
        "from app.accounts.decorators import require\n"
        "from app import moderation\n"
        "def f():\n    from app.notifications.mail import queue_email\n"
        "from ..portfolio import models\n"
        "importlib.import_module('app.api')\n"
        "from app.core.errors import NotFound\n"
    )
    domains = {_domain_of(module) for _line, module in _imported_modules(ast.parse(source))} - {None}
    assert domains == {"ideas", "accounts", "moderation", "notifications", "portfolio", "api"}


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_no_domain(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    wrong = [f"line {line}: {module}" for line, module in _imported_modules(tree) if _domain_of(module)]
    assert not wrong, f"app/core/{path.relative_to(CORE)} imports a domain: {wrong}"
