"""Cocreate: the Streamlit entry point. It builds the navigation and runs the chosen page."""

import streamlit as st

import ui
from workshop import metrics
from workshop.errors import StoreUnavailable


def app_pages() -> list[st.Page]:
    return [
        st.Page("pages/home.py", title="Cocreate", icon="🤝", default=True),
        st.Page("pages/participate.py", title="Participate", icon="✍️", url_path="participate"),
        st.Page("pages/facilitate.py", title="Facilitate", icon="🎛️", url_path="facilitate"),
        st.Page("pages/present.py", title="Present", icon="📽️", url_path="present"),
        st.Page("pages/review.py", title="Review", icon="📊", url_path="review"),
    ]


def build_navigation() -> st.navigation:
    # Each page links where its user goes next; a participant never sees a menu of roles.
    return st.navigation(ui.pages_made_once(app_pages), position="hidden")


navigation = build_navigation()
metrics.PAGE_RUNS.labels(navigation.url_path or "home").inc()
# A database that cannot be opened (held by another process, not Cocreate's) stops every
# page, the home page included, with the reason and what to do.
ui.store()
try:
    navigation.run()
except StoreUnavailable as exc:  # PostgreSQL went away mid-page: say so, keep the tab usable
    st.error(exc.message)
