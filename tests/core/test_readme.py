"""README.md documents every setting the app reads from the environment."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_is_in_the_readme():
    config = (ROOT / "app" / "config.py").read_text()
    names = set(re.findall(r"""(?:_bool|_int|environ\.get)\(\s*["']([A-Z_]+)["']""", config))
    names |= set(re.findall(r"""["']([A-Z_]+)["'] in os\.environ""", config))
    names |= set(re.findall(r"""_text\(\s*["']([A-Z_]+)["']""", config))
    for limit in re.findall(r"""_limits\(\s*["']([A-Z_]+)["']""", config):
        names |= {f"RATELIMIT_{limit}", f"RATELIMIT_{limit}_PER_ADDRESS"}
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"README.md does not document: {missing}"
