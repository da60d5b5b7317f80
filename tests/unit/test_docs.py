"""The README and the docs say what is so: every setting they name exists and every setting
is documented, every `make` target they name exists and every target is documented, every
link between them leads somewhere, and the README stays a page a newcomer reads."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from workshop.settings import SETTINGS

DOCS = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]
# Names in the environment that belong to the tools around the app, not to it: the test
# suite's (tests/conftest.py), CI's (.ci/run) and compose's (compose.yaml).
TOOLS = {"COCREATE_TEST_DATABASE_URL", "COCREATE_NO_SKIPS", "COCREATE_REQUIRE_POSTGRES", "COCREATE_REPLICAS"}


def text_of_docs() -> str:
    return "\n".join(path.read_text() for path in DOCS)


def make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M))


def targets_named(text: str) -> set[str]:
    """`make X` in backquotes, or a line of a code block that starts with `make X`."""
    return set(re.findall(r"`make ([a-z][a-z-]*)", text)) | set(
        re.findall(r"^make ([a-z][a-z-]*)", text, flags=re.M)
    )


def test_the_readme_is_a_page_a_newcomer_reads():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) < 150
    for doc in ("docs/facilitating.md", "docs/operating.md", "docs/architecture.md", "docs/capacity.md"):
        assert f"]({doc})" in readme, doc
    assert "make run" in readme and "make test" in readme


def test_every_setting_is_documented_and_every_one_named_exists():
    operating = (ROOT / "docs" / "operating.md").read_text()
    assert [s.name for s in SETTINGS if f"`{s.name}`" not in operating] == []
    named = set(re.findall(r"COCREATE_[A-Z_]+", text_of_docs()))
    assert named - {s.name for s in SETTINGS} - TOOLS == set()
    for tool in TOOLS:  # … and the tools' names are theirs indeed
        found = [
            p
            for p in (ROOT / ".ci" / "run", ROOT / "tests" / "conftest.py", ROOT / "compose.yaml")
            if tool in p.read_text()
        ]
        assert found, tool


def test_every_make_target_named_exists_and_every_target_is_documented():
    targets, named = make_targets(), targets_named(text_of_docs())
    assert named - targets == set()
    assert targets - named == set()


def test_every_link_between_the_docs_leads_to_a_file():
    for path in DOCS:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text()):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (path.parent / target).exists(), (path.name, target)
