"""The requests the participant's app makes beside its page: the join, the room's status
(once, or as a stream), what the screen shows (`api/view`) and each click (a dot, a
statement, an answer to a card, a proposal, a backing …). Each click is one action and the
answer the app draws from.

A POST carries the participant link's token in a header (the join, which makes the token,
alone goes without) and a JSON body, which another site's page cannot send without a CORS
preflight (never granted here)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from web import feeds, limits, tokens
from web.compressed import Part, gzip_of, plain_of, shared, takes_gzip
from web.paths import PARTICIPANT_HEADER
from web.requests import NO_STORE, NOT_UNDERSTOOD, answer, fields, json_body, refused, speak_as_asked
from workshop import actions, announce, schedule, settings, views
from workshop.database import Database, current_database
from workshop.errors import BadRequest, CocreateError, QuotaReached, WorkshopNotFound
from workshop.i18n import N_, _
from workshop.model import Participant, Reaction
from workshop.text import MAX_TEXT

DONE = {
    "share": N_("Shared."),
    "propose": N_("Proposed."),
    "edit": N_("Saved."),
    "withdraw": N_("Withdrawn."),
}
# The views a move of the room asks for (every open screen at once) are made on two worker
# threads of their own: a click then waits for at most two of them, not for a queue of
# hundreds on the threads every request shares, and the move's views take as long as before
# (they share one interpreter either way).
SCREENS = anyio.CapacityLimiter(2)
# Joins from one client address a minute (settings.joins_per_address): someone making people
# up by the dozen fills neither the room nor its teams.
JOINS = limits.PerMinute(settings.joins_per_address())
TOO_MANY_JOINS = N_(
    "Many people have joined from your network in the last minute. Wait {value} seconds, then join."
)
PRACTICE_SHARED = N_("Shared. Others can now say they do it too, or would like to try it.")
STORY_TOLD = N_("Thank you: your story shows with the practice, for others who think of trying it.")


async def join(request: Request) -> Response:
    """`POST api/join` with `{"code": the workshop's code, "name": … or null, "team": … or
    null}`: join the workshop. Answers the `token` of the person's new link; a refusal (the
    workshop closed, a name too long …) as `error`, and nobody is stored."""
    speak_as_asked(request)
    try:
        db = current_database()
        body = await json_body(request)
        (code,) = fields(body, code=str)
        name, team = (_optional_text(body, field) for field in ("name", "team"))
        waiting = JOINS.take(limits.client(request))
        if waiting:
            raise QuotaReached(_(TOO_MANY_JOINS).format(value=int(waiting) + 1))
        _participant, token = await run_in_threadpool(actions.join, db.store, code, name, team)
    except CocreateError as exc:
        return refused(exc)
    return answer({"token": token})


def _optional_text(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRequest(_(NOT_UNDERSTOOD))
    return value


async def room(request: Request) -> Response:
    """`GET api/room`: the room's status once (a tab whose stream could not be opened asks
    every few seconds)."""
    try:
        db = current_database()
        participant = await tokens.participant(request, db.store)
        kept = await feeds.room_status(db, participant.workshop_id)
    except CocreateError as exc:
        return refused(exc)
    return answer(feeds.timed(db, kept))


async def view(request: Request) -> Response:
    """`GET api/view[?have=TAG]`: what the participant's screen shows now, as
    `{"status", "version", "tag", "room", "me"}`: the room's status, the data version and
    the tag of the room's view made for it (views.participant_room), the view itself (null
    when its tag is the one the screen holds, `have`: others only answered or voted) and
    the person's own part laid over it (views.participant_me)."""
    try:
        db = current_database()
        participant = await tokens.participant(request, db.store)
        kept = await feeds.room_status(db, participant.workshop_id)
        have, packed = request.query_params.get("have"), takes_gzip(request)
        room, shown, me = await anyio.to_thread.run_sync(
            _view, db, participant, have, packed, limiter=SCREENS
        )
    except CocreateError as exc:
        return refused(exc)
    status = feeds.timed(db, kept) | {"every": views.check_seconds(kept[3])}
    head = b'{"status": ' + json.dumps(status).encode()
    head += b', "version": %d, "tag": "%s", "room": ' % (room.version, room.tag.encode())
    parts = [head, shown, b', "me": ' + json.dumps(me, ensure_ascii=False).encode() + b"}"]
    if not packed:
        return Response(plain_of(parts), media_type="application/json", headers=NO_STORE)
    headers = NO_STORE | {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
    return Response(gzip_of(parts), media_type="application/json", headers=headers)


def _view(
    db: Database, participant: Participant, have: str | None, packed: bool
) -> tuple[views.RoomView, bytes | Part, dict[str, Any]]:
    """The room's view; the room's part of the answer (null when the screen holds it, `have`,
    deflated once for every screen when the answer is compressed, `packed`); the person's part."""
    room = views.participant_room(db.store, db.live, participant.workshop_id)
    workshop = views.workshop_now(db.store, participant.workshop_id)
    name = _("Anonymous") if workshop.anonymous else participant.display_name
    me = views.participant_me(db.store, db.live, participant, room, display_name=name, team=participant.team)
    if have == room.tag:
        return room, b"null", me
    return room, shared(room.tag, room.body) if packed else room.body, me


async def calendar(request: Request) -> Response:
    """`GET api/calendar`: a self-paced workshop's phases as an iCalendar file (.ics) for the
    person's calendar, each with their own link back in; a live workshop has none (404)."""
    speak_as_asked(request)
    try:
        db = current_database()
        participant = await tokens.participant(request, db.store)
        workshop = views.workshop_now(db.store, participant.workshop_id)
        if not workshop.self_paced or not workshop.schedule:
            raise WorkshopNotFound(_("This workshop has no schedule: it runs live, in one sitting."))
        token = request.headers.get(PARTICIPANT_HEADER, "")
        base = announce.public_url() or f"{request.url.scheme}://{request.url.netloc}"
        link = f"{base}/participate?t={quote(token)}"
        body = schedule.calendar(workshop, link, db.store.now())
    except CocreateError as exc:
        return refused(exc)
    headers = NO_STORE | {"Content-Disposition": f'attachment; filename="cocreate-{workshop.code}.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


async def room_events(request: Request) -> Response:
    """`GET api/room/events`: the room's status as server-sent events (see feeds.RoomFeed)."""
    try:
        db = current_database()
        participant = await tokens.participant(request, db.store)
        token = request.headers.get(PARTICIPANT_HEADER, "")
        return await feeds.stream(
            feeds.RoomFeed,
            db,
            participant.workshop_id,
            (token, limits.client(request)),
            still_allowed=lambda: tokens.still_participating(db.store, token),
        )
    except CocreateError as exc:
        return refused(exc)


async def _click(
    request: Request,
    parse: Callable[[dict[str, Any]], tuple[Any, ...]] | None,
    act: Callable[..., dict[str, Any]],
) -> Response:
    """Whose (the token), what (`parse` of the JSON body; a GET sends nothing), then
    `act(db, participant, *what)` in a worker thread; the store's refusal as `error`."""
    try:
        db = current_database()
        participant = await tokens.participant(request, db.store)
        what = parse(await json_body(request)) if parse else ()
        return answer(await run_in_threadpool(act, db, participant, *what))
    except CocreateError as exc:
        return refused(exc)


# -- Vote ----------------------------------------------------------------------------


def parse_dot(body: dict[str, Any]) -> tuple[int, int]:
    need, change = fields(body, need=int, change=int)
    if change not in (1, -1):
        raise BadRequest(_(NOT_UNDERSTOOD))
    return need, change


def change_dot(db: Database, participant: Participant, need_id: int, change: int) -> dict[str, Any]:
    if change > 0:
        actions.place_dot(db.store, participant, need_id)
    else:
        actions.remove_dot(db.store, participant, need_id)
    return views.dot_answer(db.store, db.live, participant, need_id)


async def dots(request: Request) -> Response:
    """`POST api/dots` with `{"need": id, "change": 1 or -1}`: place or take back one dot.
    Answers `used`, `mine` and the need's total `dots` (null while totals are hidden)."""
    return await _click(request, parse_dot, change_dot)


# -- Share ---------------------------------------------------------------------------


def parse_writing(body: dict[str, Any]) -> tuple[str, int, str | None]:
    (do,) = fields(body, do=str)
    if do == "share":
        return do, *fields(body, theme=int, text=str)
    if do == "edit":
        return do, *fields(body, statement=int, text=str)
    if do == "withdraw":
        return do, *fields(body, statement=int), None
    raise BadRequest(_(NOT_UNDERSTOOD))


def write(db: Database, participant: Participant, do: str, item_id: int, text: str | None) -> dict[str, Any]:
    if do == "share":
        actions.share(db.store, participant, item_id, text or "")
    elif do == "edit":
        actions.edit_statement(db.store, participant, item_id, text or "")
    else:
        actions.withdraw_statement(db.store, participant, item_id)
    return {"mine": views.own_statements(db.store, participant), "done": _(DONE[do])}


async def share(request: Request) -> Response:
    """`POST api/share` with `{"do": "share", "theme": id, "text": …}`, `{"do": "edit",
    "statement": id, "text": …}` or `{"do": "withdraw", "statement": id}`. Answers the
    person's statements (`mine`) and what to confirm (`done`)."""
    return await _click(request, parse_writing, write)


def parse_answer(body: dict[str, Any]) -> tuple[int, Reaction]:
    statement, kind = fields(body, statement=int, kind=str)
    if kind not in {r.value for r in Reaction}:
        raise BadRequest(_(NOT_UNDERSTOOD))
    return statement, Reaction(kind)


def react_to(
    db: Database, participant: Participant, statement_id: int | None = None, kind: Reaction | None = None
) -> dict[str, Any]:
    if statement_id is not None and kind is not None:
        actions.react(db.store, participant, statement_id, kind)
    workshop = views.workshop_now(db.store, participant.workshop_id)
    return views.next_card(db.store, db.live, participant, workshop)


async def react(request: Request) -> Response:
    """`POST api/react` with `{"statement": id, "kind": "agree" | "disagree" | "pass"}`;
    `GET api/react` only looks. Answers the next `card` (null when every statement is
    answered) and how many are `waiting`."""
    return await _click(request, parse_answer if request.method == "POST" else None, react_to)


# -- Propose -------------------------------------------------------------------------


def _ids(body: dict[str, Any], name: str) -> list[int]:
    """An optional list of ids in a request (a few at most)."""
    ids = body.get(name, [])
    if not isinstance(ids, list) or len(ids) > 10 or any(type(i) is not int for i in ids):
        raise BadRequest(_(NOT_UNDERSTOOD))
    return ids


def parse_proposal(
    body: dict[str, Any],
) -> tuple[str, int | None, int | None, str | None, list[int], list[int]]:
    (do,) = fields(body, do=str)
    if do == "propose":
        return do, None, *fields(body, theme=int, text=str), _ids(body, "learn"), _ids(body, "cites")
    if do == "edit":
        return do, *fields(body, need=int, theme=int, text=str), [], []
    if do == "withdraw":
        return do, *fields(body, need=int), None, None, [], []
    raise BadRequest(_(NOT_UNDERSTOOD))


def write_proposal(
    db: Database,
    participant: Participant,
    do: str,
    need_id: int | None,
    theme_id: int | None,
    text: str | None,
    learn: list[int],
    cites: list[int],
) -> dict[str, Any]:
    if do == "propose" and theme_id is not None:
        actions.propose(db.store, participant, theme_id, text or "", learn, cites)
    elif do == "edit" and need_id is not None and theme_id is not None:
        actions.edit_need(db.store, participant, need_id, text or "", theme_id)
    elif do == "withdraw" and need_id is not None:
        actions.withdraw_need(db.store, participant, need_id)
    else:  # parse_proposal gives each what it needs
        raise BadRequest(_(NOT_UNDERSTOOD))
    return {"mine": views.own_needs(db.store, participant), "done": _(DONE[do])}


async def propose(request: Request) -> Response:
    """`POST api/propose` with `{"do": "propose", "theme": id, "text": …, "learn": [practice
    ids, optional], "cites": [statement ids, optional]}`, `{"do": "edit",
    "need": id, "theme": id, "text": …}` or `{"do": "withdraw", "need": id}`. Answers the
    person's proposals (`mine`) and what to confirm (`done`)."""
    return await _click(request, parse_proposal, write_proposal)


def parse_typed(body: dict[str, Any]) -> tuple[str]:
    (text,) = fields(body, text=str)
    return (text[:MAX_TEXT],)


def alike(db: Database, participant: Participant, text: str) -> dict[str, Any]:
    return {
        "needs": views.similar_needs(db.store, db.live, participant, text),
        "practices": views.relevant_practices(db.store, db.live, participant, text),
    }


async def similar(request: Request) -> Response:
    """`POST api/similar` with `{"text": what the person is typing}`: others' needs most
    like it (`needs`, as the back board's cards), to back instead of proposing it again, and
    the practices the room sees that speak of it (`practices`), to learn from."""
    return await _click(request, parse_typed, alike)


def parse_backing(body: dict[str, Any]) -> tuple[int, bool]:
    return fields(body, need=int, backed=bool)


def set_backing(db: Database, participant: Participant, need_id: int, backed: bool) -> dict[str, Any]:
    actions.back(db.store, participant, need_id, backed)
    return views.backing_answer(db.store, db.live, participant, need_id)


async def back(request: Request) -> Response:
    """`POST api/back` with `{"need": id, "backed": true | false}`: "Me too", or taken back.
    Answers `backed` and the need's `backers`."""
    return await _click(request, parse_backing, set_backing)


# -- practices -----------------------------------------------------------------------


def parse_practice(body: dict[str, Any]) -> tuple[Any, ...]:
    (do,) = fields(body, do=str)
    if do == "share":
        theme, title, description, show_name = fields(
            body, theme=int, title=str, description=str, show_name=bool
        )
        return do, theme, title, description, show_name
    if do == "mark":
        practice, kind, on = fields(body, practice=int, kind=str, on=bool)
        return do, practice, kind, on
    if do == "story":
        return do, *fields(body, practice=int, tried=str, happened=str, recommend=str, show_name=bool)
    raise BadRequest(_(NOT_UNDERSTOOD))


def write_practice(db: Database, participant: Participant, do: str, *what: Any) -> dict[str, Any]:
    if do == "share":
        actions.share_practice(db.store, participant, *what)
        done = _(PRACTICE_SHARED)
    elif do == "story":
        actions.tell_story(db.store, participant, *what)
        done = _(STORY_TOLD)
    else:
        actions.react_to_practice(db.store, participant, *what)
        done = ""
    workshop = views.workshop_now(db.store, participant.workshop_id)
    return {
        "practices": views.practice_cards(db.store, db.live, workshop, participant, lag=0.0),
        "done": done,
    }


def read_practices(db: Database, participant: Participant) -> dict[str, Any]:
    workshop = views.workshop_now(db.store, participant.workshop_id)
    return {"practices": views.practice_cards(db.store, db.live, workshop, participant)}


async def practices(request: Request) -> Response:
    """`POST api/practices` with `{"do": "share", "theme": id, "title": …, "description": …,
    "show_name": bool}` or `{"do": "mark", "practice": id, "kind": "do_too" | "want_to_try",
    "on": bool}` or `{"do": "story", "practice": id, "tried": …, "happened": …, "recommend":
    "yes" | "partly" | "no", "show_name": bool}` (how it went when they tried it). Answers the
    practices the person sees (`practices`) and what to confirm.
    `GET api/practices` only looks (the board follows the room's count of practices)."""
    if request.method == "GET":
        return await _click(request, None, read_practices)
    return await _click(request, parse_practice, write_practice)


# -- ratings and the check-in ------------------------------------------------------------


def parse_rating(body: dict[str, Any]) -> tuple[int, int, int]:
    return fields(body, need=int, importance=int, capability=int)


def rate_need(
    db: Database, participant: Participant, need_id: int, importance: int, capability: int
) -> dict[str, Any]:
    actions.rate(db.store, participant, need_id, importance, capability)
    need = db.store.viewer_state(participant.workshop_id, participant.id).ratings[need_id]
    return {"rating": list(need), "done": _("Rating saved")}


async def rate(request: Request) -> Response:
    """`POST api/rate` with `{"need": id, "importance": 1–5, "capability": 1–5}`: the
    person's rating of a need (Vote phase). Answers the `rating` kept and what to confirm."""
    return await _click(request, parse_rating, rate_need)


def parse_checkin(body: dict[str, Any]) -> tuple[int, int]:
    return fields(body, need=int, capability=int)


def check_in(db: Database, participant: Participant, need_id: int, capability: int) -> dict[str, Any]:
    actions.check_in(db.store, participant, need_id, capability)
    return {"now": capability, "done": _("Saved: thank you")}


async def checkin(request: Request) -> Response:
    """`POST api/checkin` with `{"need": id, "capability": 1–5}`: after the workshop, how
    well the person's team can do a need today (while the check-in is open). Answers the
    capability kept (`now`) and what to confirm."""
    return await _click(request, parse_checkin, check_in)
