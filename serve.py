"""Cocreate's server: `streamlit run serve.py`. It serves the app in app.py and, in front of
it, the requests a participant's screen makes beside its page (pages/api.py): `GET
api/room`, which the room watch asks instead of rerunning the page on a timer, and `POST
api/dots`, which places a dot without a page run."""

import streamlit as st
from starlette.middleware import Middleware

from pages.api import ParticipantApi

app = st.App("app.py", middleware=[Middleware(ParticipantApi)])
