"""The shape of the code: the domain and web packages stay free of Streamlit, pages/ holds
the pages, components keep their JavaScript in .js files, settings are documented."""

from __future__ import annotations

import ast

from tests.conftest import ROOT


def imported(package: str) -> set[tuple[str, str]]:
    """(file, top-level module) for every import of every module under `package`."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found |= {(path.name, a.name.split(".")[0]) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add((path.name, node.module.split(".")[0]))
    return found


def test_neither_the_domain_nor_the_web_package_imports_streamlit_or_the_pages():
    for package in ("workshop", "web"):
        offenders = {(f, m) for f, m in imported(package) if m in {"streamlit", "ui", "pages"}}
        assert offenders == set(), package


def test_the_domain_package_imports_neither_the_web_nor_the_ui():
    assert {(f, m) for f, m in imported("workshop") if m in {"web", "ui", "bench", "deploy"}} == set()


def test_pages_holds_the_five_pages_and_nothing_else():
    assert sorted(p.name for p in (ROOT / "pages").iterdir() if p.name != "__pycache__") == [
        "facilitate.py",
        "home.py",
        "participate.py",
        "present.py",
        "review.py",
    ]


def test_components_keep_their_javascript_and_css_in_files():
    for path in list((ROOT / "ui").rglob("*.py")) + list((ROOT / "web").rglob("*.py")):
        text = path.read_text()
        assert "export default" not in text and "function (" not in text and "{ font-" not in text, path.name
    used = set()
    for path in (ROOT / "ui" / "components").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.endswith((".js", ".css"))
            ):
                used.add(node.value)
    components = ROOT / "ui" / "components"
    files = {p.name for p in components.iterdir() if p.suffix in {".js", ".css"}}
    assert files <= used  # every file is used
    assert all((components / name).is_file() for name in used)  # every file used is there


def test_the_participants_app_is_modules_in_files_that_fetch_nothing_from_outside():
    """Each module imports only its siblings (`./…`), names no address outside the server
    (the app works air-gapped), and every file is served by web/assets.py."""
    import re

    from web import assets

    app = ROOT / "ui" / "components" / "participant"
    modules = sorted(app.rglob("*.js"))
    assert {m.relative_to(app).as_posix() for m in modules} >= {"app.js", "store.js", "vendor/preact-htm.js"}
    for module in modules:
        text = module.read_text()
        imported = re.findall(r'^import\b[^"]*?"([^"]+)"', text, re.M) + re.findall(
            r'\bimport\("([^"]+)"', text
        )
        assert all(name.startswith("./") for name in imported), (module.name, imported)
        addresses = set(re.findall(r"https?://[^\s\"'`)]+", text)) - {
            "http://www.w3.org/2000/svg",  # namespaces the view library names, never fetched
            "http://www.w3.org/1999/xhtml",
            "http://www.w3.org/1998/Math/MathML",
        }
        assert not addresses, (module.name, addresses)
    served = {name for name in assets.FILES}
    assert served == {p.relative_to(app).as_posix() for p in app.rglob("*") if p.suffix in (".js", ".css")}


def test_only_the_store_its_backends_and_analytics_hold_sql():
    for path in (ROOT / "workshop").rglob("*.py"):
        # privacy.py: the threshold's groups as SQL, which the store and analytics share.
        if path.parent.name == "store" or path.name in {
            "backends.py",
            "analytics.py",
            "migrations.py",
            "privacy.py",
        }:
            continue
        text = path.read_text()
        assert "SELECT " not in text and "INSERT INTO" not in text, path.name
    for package in ("pages", "ui", "web"):
        for path in (ROOT / package).rglob("*.py"):
            assert "SELECT " not in path.read_text(), path.name


def test_the_wire_client_names_the_participants_app_by_its_key():
    from deploy import wire
    from ui.components import participant

    assert wire.APP == participant.KEY


def test_no_file_of_the_app_is_over_800_lines_and_no_module_of_the_store_over_600():
    for package in ("workshop", "web", "ui", "pages"):
        for path in (ROOT / package).rglob("*.py"):
            limit = 600 if path.parent.name == "store" else 800
            assert len(path.read_text().splitlines()) <= limit, path.relative_to(ROOT)
