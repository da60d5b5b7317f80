"""Where the browser components send their requests, and the headers that carry whose they
are. The components ask relative addresses ("api/dots") from pages served at the root."""

API = "/api"  # every route below lives under it

JOIN = "/api/join"  # join a workshop by its code: answers the new participant link's token
# A participant's screen: the participant link's token in PARTICIPANT_HEADER.
ROOM = "/api/room"  # the room's status, once
ROOM_EVENTS = "/api/room/events"  # the room's status as server-sent events
VIEW = "/api/view"  # what the screen shows now: the room's view and the person's own part
DOTS = "/api/dots"
SHARE = "/api/share"
REACT = "/api/react"
PROPOSE = "/api/propose"
BACK = "/api/back"
PRACTICES = "/api/practices"  # share a practice, mark one ("We do this too", "We'd like to try this")
SIMILAR = "/api/similar"  # others' needs like the one being typed
RATE = "/api/rate"  # a need's importance and the team's capability, 1–5
CHECKIN = "/api/checkin"  # after the workshop: the team's capability on a need again
CALENDAR = "/api/calendar"  # a self-paced workshop's phases as an .ics file
APP = "/api/app"  # the participant app's files, under a name made of their content
PARTICIPANT_HEADER = "X-Cocreate-Participant"

# The projector: the presenter link's token in PRESENTER_HEADER.
PRESENT = "/api/present"  # the projector's screen, once
PRESENT_EVENTS = "/api/present/events"  # the projector's screen as server-sent events
PLOTLY_JS = "/api/present/plotly.js"  # the plotly package's Plotly.js, which draws the charts
PRESENTER_HEADER = "X-Cocreate-Presenter"


def relative(path: str) -> str:
    """`path` as a component asks it: relative to the page, so a proxy's prefix is kept."""
    return path.lstrip("/")
