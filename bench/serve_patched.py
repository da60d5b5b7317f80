"""serve.py with only some of Streamlit's runtime patches: those named, comma-separated, in
COCREATE_BENCH_PATCHES (`python -m bench.load --patches ...` starts it), so that a load run
measures what each patch buys. Built from serve.py's own parts: the same app, routes,
lifespan and middleware."""

import os
from pathlib import Path

import streamlit as st

import web
from ui import streamlit_patches

streamlit_patches.install(
    tuple(name for name in os.environ.get("COCREATE_BENCH_PATCHES", "").split(",") if name)
)
app = st.App(
    str(Path(__file__).resolve().parent.parent / "app.py"),
    routes=web.routes,
    lifespan=web.lifespan,
    middleware=web.middleware,
)
