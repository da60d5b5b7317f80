"""Cocreate's server: `streamlit run serve.py`. It serves the app in app.py and, in front of
it, `GET /api/room`, which participants' screens ask for the room's status instead of
rerunning their page on a timer (pages/room_watch.py)."""

import streamlit as st
from starlette.middleware import Middleware

from pages.room_watch import RoomStatusRoute

app = st.App("app.py", middleware=[Middleware(RoomStatusRoute)])
