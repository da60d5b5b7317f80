"""The shape of the code: the domain package stays free of Streamlit, settings are documented."""

from __future__ import annotations

import ast

from tests.conftest import ROOT
from workshop.settings import SETTINGS


def test_no_module_under_workshop_imports_streamlit():
    offenders = []
    for path in (ROOT / "workshop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []


def test_only_the_store_its_backends_and_analytics_hold_sql():
    for path in (ROOT / "workshop").rglob("*.py"):
        if path.name in {"store.py", "backends.py", "analytics.py", "migrations.py"}:
            continue
        text = path.read_text()
        assert "SELECT " not in text and "INSERT INTO" not in text, path.name
    for path in (ROOT / "pages").rglob("*.py"):
        assert "SELECT " not in path.read_text(), path.name


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [s.name for s in SETTINGS if s.name not in readme]
    assert missing == []
