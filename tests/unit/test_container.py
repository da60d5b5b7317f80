"""The container: the Dockerfile runs Cocreate as a user without root rights on the pinned lock
file, with its data in a volume and a health check on /readyz; compose.yaml's two profiles are
whole. The image is built where a Docker engine runs; elsewhere that one test is skipped."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_the_image_runs_as_a_user_without_root_rights_on_the_lock_file():
    lines = [line.strip() for line in DOCKERFILE.splitlines() if line.strip() and not line.startswith("#")]
    assert re.fullmatch(
        r"FROM python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", lines[0]
    )  # a fixed version
    assert "RUN pip install -r requirements.txt" in lines
    users = [line for line in lines if line.startswith("USER ")]
    assert users and users[-1] != "USER root"
    assert 'VOLUME ["/data"]' in lines
    assert "COCREATE_DB=/data/cocreate.duckdb" in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE and "/readyz" in DOCKERFILE


def test_the_image_copies_what_the_app_needs_and_nothing_private():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for private in (".venv", ".streamlit/secrets.toml", "data/*.duckdb", "data/demo-credentials*.json"):
        assert private in ignored
    for needed in ("app.py", "serve.py", "pages", "ui", "web", "workshop", "data/templates"):
        assert needed in DOCKERFILE
    # Not the tools of the tests and benchmarks (deploy/wire.py needs a package only they install).
    assert (
        "COPY deploy" not in DOCKERFILE and "COPY bench" not in DOCKERFILE and "COPY tests" not in DOCKERFILE
    )


def test_compose_has_a_single_container_profile_on_a_volume():
    services = compose()["services"]
    single = [name for name, s in services.items() if "single" in s.get("profiles", [])]
    assert single == ["cocreate"]
    cocreate = services["cocreate"]
    assert cocreate["build"] == "."
    assert "cocreate-data:/data" in cocreate["volumes"]
    assert "/readyz" in " ".join(cocreate["healthcheck"]["test"])


def test_compose_has_a_large_profile_of_replicas_on_postgresql_behind_nginx():
    whole = compose()
    services = whole["services"]
    large = sorted(name for name, s in services.items() if "large" in s.get("profiles", []))
    assert large == ["app", "nginx", "postgres"]
    assert services["postgres"]["image"] == "postgres:15"
    app = services["app"]
    assert app["environment"]["COCREATE_DATABASE_URL"].startswith("postgresql://")
    assert app["deploy"]["replicas"] == "${COCREATE_REPLICAS:-2}"
    assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    nginx = services["nginx"]
    assert nginx["depends_on"]["app"]["condition"] == "service_healthy"
    assert nginx["networks"]["stack"]["ipv4_address"] == app["environment"]["COCREATE_TRUSTED_PROXIES"]
    config = (ROOT / "deploy" / "compose" / "nginx.conf").read_text()
    assert "server app:8501" in config and "location = /readyz" in config
    for volume in ("cocreate-data", "cocreate-postgres"):
        assert volume in whole["volumes"]


def docker_engine() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0


def test_the_image_builds_where_docker_runs():
    if not docker_engine():
        pytest.skip(
            "Container suite: no Docker engine here (docker info fails); the image is built where one runs"
        )
    subprocess.run(["docker", "compose", "config", "--quiet"], cwd=ROOT, check=True, timeout=60)
    subprocess.run(
        ["docker", "build", "--quiet", "-t", "cocreate:test", "."], cwd=ROOT, check=True, timeout=1800
    )


def test_the_dashboard_asks_only_for_figures_the_app_exports():
    import json
    import re

    from workshop import metrics

    dashboard = json.loads((ROOT / "deploy" / "grafana-dashboard.json").read_text())
    asked = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"cocreate_[a-z_]+", target["expr"])
    }
    exported = metrics.exposition().decode()
    for name in asked:
        assert f"# TYPE {re.sub(r'_(total|bucket)$', '', name)}" in exported, name


@pytest.mark.parametrize("demo", ["", "1"])
def test_the_images_start_command_prints_no_key_and_seeds_a_demo_only_when_asked(tmp_path, demo):
    """The CMD's first step (`workshop init`), run without Docker in a temporary folder as the
    container runs it: the schema made, no demo unless COCREATE_DEMO=1, and no key or
    presenter token in what it prints (the log); the demo's keys only in its file."""
    import json
    import os
    import sys

    from workshop.store import Store

    cmd = json.loads(next(line for line in DOCKERFILE.splitlines() if line.startswith("CMD "))[4:])
    assert cmd[:2] == ["sh", "-c"]
    init, serve = cmd[2].split(" && exec ")
    assert init.startswith("python -m workshop init") and serve.startswith("python -m streamlit run serve.py")
    db = tmp_path / "cocreate.duckdb"
    env = {**os.environ, "COCREATE_DB": str(db), "COCREATE_DEMO": demo}
    env.pop("COCREATE_PUBLIC_URL", None)
    done = subprocess.run(
        ["sh", "-c", init.replace("python -m", f"{sys.executable} -m", 1)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    store = Store(db)
    workshops = store.all_workshops()
    store.close()
    credentials = tmp_path / "demo-credentials.json"
    if not demo:
        assert workshops == [] and not credentials.exists()
        return
    keys = json.loads(credentials.read_text())
    assert sorted(w.code for w in workshops) == sorted([keys["code"], keys["self_paced"]["code"]])
    said = done.stdout + done.stderr
    assert keys["facilitator_key"] not in said and keys["presenter_token"] not in said
    assert f"participate?code={keys['code']}" in said


def test_compose_and_the_stack_share_one_nginx_configuration():
    """deploy/compose/nginx.conf is the template filled for compose (`python -m deploy.stack
    --compose-nginx` writes it): the same limits, stickiness and compression; the replicas
    looked up again as they come and go."""
    from deploy.stack import COMPOSE_NGINX, compose_nginx_config

    written = COMPOSE_NGINX.read_text()
    assert written == compose_nginx_config(), "run: python -m deploy.stack --compose-nginx"
    assert "resolver 127.0.0.11" in written and "server app:8501 max_fails=0 resolve;" in written
    assert "client_header_timeout 10s;" in written and "gzip on;" in written
    assert "@" not in written.replace("$request_id", "")
