"""Participate: the participant's app (ui/components/participant), drawn once per opened
link: the join and everything the person does and sees after it happen in the browser,
fed by the routes and the room's event stream, without another page run. Identity lives
in the link (?t=). A link without a workshop's code asks for one; a closed workshop's link
shows what the room chose."""

import streamlit as st

import ui
from ui.components import participant
from workshop import actions, views
from workshop.i18n import _, ngettext
from workshop.model import Participant, Phase, Workshop

ui.use_language()
st.set_page_config(page_title=_("Cocreate · Participate"), page_icon="✍️", layout="centered")
ui.page_style()
store = ui.store()
live = ui.live()


def ranking(shown: Workshop) -> None:
    """What a closed workshop's room chose, most dotted first, for a link without a token."""
    if not shown.counts_visible:
        st.info(_("The results will be shown here when the facilitator reveals them."))
        return
    st.subheader(_("What the room chose"))
    for rank, need in enumerate(views.room_needs(store, live, shown.id).needs, start=1):
        with st.container(border=True):
            st.text(f"{rank}. {need.text}")
            dots = ngettext("{n} dot", "{n} dots", need.dots).format(n=need.dots)
            st.caption(" · ".join(filter(None, [views.theme_title(shown, need.theme_id), dots])))


def join_screen() -> None:
    code = st.query_params.get("code", "")
    workshop = ui.shown_error(actions.find_workshop, store, code) if code else None
    if workshop is not None:
        ui.use_language(workshop.language)
    if workshop is None or workshop.phase is Phase.CLOSED:
        ui.language_picker()  # the app has its own
    if workshop is None:
        st.title(_("Join a workshop"))
        with st.form("find"):
            typed = st.text_input(
                _("Workshop code"), max_chars=12, placeholder=_("e.g. K7P2QX"), key="join_code"
            )
            if st.form_submit_button(_("Continue"), type="primary", key="join_find"):
                st.query_params["code"] = typed.strip()
                st.rerun()
        return
    if workshop.phase is Phase.CLOSED:
        ui.heading(workshop.title, level=1)
        st.info(
            _(
                "This workshop has closed, so it takes no new participants. Thank you to everyone who took part."
            )
        )
        ranking(workshop)
        return
    participant.draw(None, joining=workshop)


def resume() -> Participant | None:
    token = st.query_params.get("t")
    if not token:
        join_screen()
        return None
    participant = ui.shown_error(actions.resume, store, token)
    if participant is None:
        st.query_params.pop("t", None)
        join_screen()
    return participant


me = resume()
if me is None:
    st.stop()
ui.use_language(ui.current_workshop(me.workshop_id).language)
participant.draw(st.query_params["t"])
