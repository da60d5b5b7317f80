"""Cocreate's server, the one way it is served: `streamlit run serve.py` (make run, the
tests, the benchmarks and deploy/ all start it so). It serves the pages of app.py and,
beside them, the routes of web/ (what the participants' boards and the projector ask
without a page run), with the process's database opened and closed by web.lifespan."""

import streamlit as st

import web
from ui import streamlit_patches

streamlit_patches.install()
app = st.App("app.py", routes=web.routes, lifespan=web.lifespan, middleware=web.middleware)
