"""A demo workshop played by simulated participants, for first runs, demos and checks."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from workshop import actions, i18n, schedule, timezones
from workshop.errors import CocreateError, ItemNotFound, NeedCapReached, NotYours
from workshop.model import Created, Participant, Phase, PracticeReaction, Reaction, Schedule
from workshop.store import Store
from workshop.templates import template

TEAMS = ("Sales", "Customer support", "Operations", "Product")
NAMES = (
    "Aino",
    "Ben",
    "Carla",
    "Dev",
    "Eeva",
    "Farid",
    "Greta",
    "Hannu",
    "Ines",
    "Jon",
    "Kaisa",
    "Leo",
    "Maija",
    "Nils",
    "Olga",
    "Pekka",
    "Quinn",
    "Riikka",
    "Sami",
    "Tuuli",
    "Ulla",
    "Ville",
    "Wen",
    "Yusuf",
)

# Per theme of the "customer-growth" template: what people say, and what they need.
STATEMENTS = (
    (
        "Customers expect to solve simple things themselves, any time of day.",
        "I would spend less time on routine calls and more on the hard cases.",
        "Our chat answers must be as good as our phone answers.",
        "Digital must not mean that older customers are left behind.",
        "I need to see the customer's whole history in one place.",
        "We should fix the web forms before we add new channels.",
    ),
    (
        "I make many decisions on gut feeling because the numbers arrive too late.",
        "We collect a lot of data but nobody trusts the reports.",
        "I would like to test small changes and measure what happens.",
        "Data should help us, not be used to watch us.",
        "Our team needs one shared view of the key figures every week.",
    ),
    (
        "Sales promises things that support learns about afterwards.",
        "We solve the same problem in three teams without knowing it.",
        "A shared customer meeting every month would help a lot.",
        "Cross-team projects need a clear owner or they stall.",
        "I don't know who to ask in product when a customer has an idea.",
    ),
)
NEEDS = (
    (
        "Designing self-service journeys with customers",
        "Writing clear answers for chat and web",
        "Using the new CRM to see the whole customer",
        "Digital coaching for customers who need help",
    ),
    (
        "Data literacy: reading and questioning reports",
        "Running small experiments and measuring them",
        "Building a weekly team dashboard",
        "Responsible use of customer data",
    ),
    (
        "Facilitating cross-team problem solving",
        "Shared customer case reviews across teams",
        "Clear project ownership and decision rights",
        "Knowing who does what: a map of our experts",
    ),
)


# Per theme: what already works for some teams (a practice: what they do, how, what it changed).
PRACTICES = (
    (
        (
            "Answer templates we improve together",
            "Every Friday we look at five chat answers together and improve the template behind each. "
            "Answers got shorter and customers ask fewer follow-up questions.",
        ),
        (
            "Callback instead of a queue",
            "When the phone queue is long, the customer can book a callback time. Fewer angry calls, "
            "and we plan our day better.",
        ),
    ),
    (
        (
            "Monday numbers in ten minutes",
            "We start the week with the same five figures on one page and one question each. "
            "Decisions that used to wait for the monthly report are made on Monday.",
        ),
        (
            "One small test a month",
            "Each month we change one thing for half of the customers and compare. "
            "We stopped arguing about opinions.",
        ),
    ),
    (
        (
            "Shared customer case of the month",
            "Sales, support and product walk through one real customer case together once a month. "
            "We now know who to call in the other teams.",
        ),
        (
            "Who-knows-what map",
            "A one-page map of who in each team knows what, updated every quarter. New people find "
            "help in days instead of weeks.",
        ),
    ),
)


@dataclass(frozen=True)
class Content:
    """What the demo's people say, in one language: the template they start from, their
    teams, statements, needs and practices per theme, the near-duplicate need the facilitator
    merges (and the need it repeats), and the action a leader takes on the top need."""

    template: str
    teams: tuple[str, ...]
    statements: tuple[tuple[str, ...], ...]
    needs: tuple[tuple[str, ...], ...]
    practices: tuple[tuple[tuple[str, str], ...], ...]
    duplicate: str
    repeated: str
    action: str
    owner: str
    note: str


ENGLISH = Content(
    "customer-growth",
    TEAMS,
    STATEMENTS,
    NEEDS,
    PRACTICES,
    "Data literacy for everyone",
    "Data literacy: reading and questioning reports",
    "Course and coaching: {need}",
    "HR",
    "The first group starts in spring.",
)

FINNISH = Content(
    "asiakaslahtoinen-kasvu",
    ("Myynti", "Asiakastuki", "Tuotanto", "Tuotekehitys"),
    (
        (
            "Asiakkaat haluavat hoitaa yksinkertaiset asiat itse mihin vuorokauden aikaan tahansa.",
            "Käyttäisin vähemmän aikaa rutiinipuheluihin ja enemmän vaikeisiin tapauksiin.",
            "Chat-vastaustemme pitää olla yhtä hyviä kuin puhelinvastaustemme.",
            "Digitaalisuus ei saa tarkoittaa, että iäkkäät asiakkaat jäävät jälkeen.",
            "Tarvitsen asiakkaan koko historian yhteen paikkaan.",
            "Korjataan verkkolomakkeet ennen kuin lisätään uusia kanavia.",
        ),
        (
            "Teen monet päätökset mutulla, koska luvut tulevat liian myöhään.",
            "Keräämme paljon tietoa, mutta kukaan ei luota raportteihin.",
            "Haluaisin kokeilla pieniä muutoksia ja mitata, mitä tapahtuu.",
            "Tiedon pitää auttaa meitä, ei valvoa meitä.",
            "Tiimimme tarvitsee joka viikko yhteisen näkymän tärkeimpiin lukuihin.",
        ),
        (
            "Myynti lupaa asioita, joista asiakastuki kuulee vasta jälkikäteen.",
            "Ratkomme samaa ongelmaa kolmessa tiimissä tietämättä toisistamme.",
            "Yhteinen asiakaspalaveri kerran kuussa auttaisi paljon.",
            "Tiimien yhteisillä hankkeilla pitää olla selkeä omistaja, tai ne pysähtyvät.",
            "En tiedä, keneltä tuotekehityksessä kysyä, kun asiakkaalla on idea.",
        ),
    ),
    (
        (
            "Itsepalvelupolkujen suunnittelu yhdessä asiakkaiden kanssa",
            "Selkeiden vastausten kirjoittaminen chattiin ja verkkoon",
            "Uuden asiakkuudenhallinnan käyttö koko asiakkuuden näkemiseen",
            "Digiopastus apua tarvitseville asiakkaille",
        ),
        (
            "Datalukutaito: raporttien lukeminen ja kyseenalaistaminen",
            "Pienten kokeilujen tekeminen ja mittaaminen",
            "Tiimin viikoittaisen tilannekuvan rakentaminen",
            "Asiakastiedon vastuullinen käyttö",
        ),
        (
            "Tiimien yhteisen ongelmanratkaisun fasilitointi",
            "Yhteiset asiakastapausten läpikäynnit tiimien kesken",
            "Selkeä hankkeiden omistajuus ja päätösvalta",
            "Tieto siitä, kuka tekee mitä: asiantuntijakartta",
        ),
    ),
    (
        (
            (
                "Vastauspohjat, joita parannamme yhdessä",
                "Joka perjantai käymme yhdessä läpi viisi chat-vastausta ja parannamme niiden pohjia. "
                "Vastaukset lyhenivät, ja asiakkaat kysyvät vähemmän jatkokysymyksiä.",
            ),
            (
                "Takaisinsoitto jonottamisen sijaan",
                "Kun puhelinjono on pitkä, asiakas voi varata takaisinsoittoajan. Vihaisia puheluita on "
                "vähemmän, ja suunnittelemme päivämme paremmin.",
            ),
        ),
        (
            (
                "Maanantain luvut kymmenessä minuutissa",
                "Aloitamme viikon samoilla viidellä luvulla yhdellä sivulla ja yhdellä kysymyksellä kustakin. "
                "Kuukausiraporttia odottaneet päätökset tehdään nyt maanantaina.",
            ),
            (
                "Yksi pieni kokeilu kuukaudessa",
                "Joka kuukausi muutamme yhtä asiaa puolelle asiakkaista ja vertaamme. "
                "Lopetimme mielipiteistä kiistelemisen.",
            ),
        ),
        (
            (
                "Kuukauden yhteinen asiakastapaus",
                "Myynti, asiakastuki ja tuotekehitys käyvät kerran kuussa yhdessä läpi yhden todellisen "
                "asiakastapauksen. Tiedämme nyt, kenelle soittaa muissa tiimeissä.",
            ),
            (
                "Kuka-osaa-mitä-kartta",
                "Yhden sivun kartta siitä, kuka kussakin tiimissä osaa mitäkin, päivitetään neljännesvuosittain. "
                "Uudet työntekijät löytävät apua päivissä viikkojen sijaan.",
            ),
        ),
    ),
    "Datalukutaitoa kaikille",
    "Datalukutaito: raporttien lukeminen ja kyseenalaistaminen",
    "Koulutus ja valmennus: {need}",
    "HR",
    "Ensimmäinen ryhmä aloittaa keväällä.",
)
CONTENT = {i18n.ENGLISH: ENGLISH, i18n.FINNISH: FINNISH}


@dataclass(frozen=True)
class DemoResult:
    created: Created
    participants: list[tuple[Participant, str]]


def create_demo(
    store: Store,
    *,
    participants: int = 12,
    seed: int = 7,
    until: Phase = Phase.CLOSED,
    language: str = i18n.ENGLISH,
    self_paced: bool = False,
) -> DemoResult:
    """Create the demo workshop and play `participants` simulated people up to phase `until`,
    in `language` (the workshop's language and what its people write). A `self_paced` one
    runs over days: `until`'s phase opened an hour ago by the schedule, which opens the
    phases after it in the days to come.

    Each person joins with a name and team, shares and reacts, proposes or backs needs,
    spends every dot and rates what they voted for; the facilitator merges one duplicate.
    """
    said = CONTENT[language]
    rng = random.Random(seed)
    base = replace(template(said.template).draft, teams=said.teams, language=language)
    if self_paced:
        zone_name = "Europe/Helsinki"
        opens = _schedule_around(store.now() - timedelta(hours=1), until, zone_name)
        base = replace(base, self_paced=True, time_zone=zone_name, schedule=opens)
    created = actions.create_workshop(store, base)
    access = actions.access_for(store, created.session_token)
    code = created.workshop.code
    people = [
        actions.join(
            store,
            code,
            NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i // len(NAMES) + 1}"),
            said.teams[i % len(said.teams)],
        )
        for i in range(participants)
    ]
    themes = [t.id for t in created.workshop.themes]
    # Practices play on a random sequence of their own: the rest of the demo stays as it was.
    prng = random.Random(seed * 31 + 1)
    # What earlier workshops found works, shown in this one too.
    library = [p for p in store.library(least=1, limit=50)[1] if p["workshop_id"] != created.workshop.id]
    featured = [p["id"] for p in prng.sample(library, min(2, len(library)))]
    for practice_id in featured:
        actions.feature_practice(store, access, practice_id)

    def reached(phase: Phase) -> bool:
        if until.index < phase.index:
            return False
        if self_paced:  # the schedule made these moves
            current = store.existing_workshop(created.workshop.id)
            store.set_phase(
                current.id, current.phase, phase, reveal=phase is Phase.RESULTS, by=schedule.MOVED_BY
            )
        else:
            actions.set_phase(store, access, phase)
        return True

    said_on: dict[int, list[int]] = {}  # theme id -> its statements, which needs may cite
    if reached(Phase.SHARE):
        statement_ids = []
        for participant, _ in people:
            for _ in range(rng.randint(1, 2)):
                t = rng.randrange(len(themes))
                shared = actions.share(store, participant, themes[t], rng.choice(said.statements[t]))
                statement_ids.append((participant.id, shared))
                said_on.setdefault(themes[t], []).append(shared)
        for participant, _ in people:
            others = [sid for author, sid in statement_ids if author != participant.id]
            for sid in rng.sample(others, min(len(others), rng.randint(2, 5))):
                kind = rng.choices(list(Reaction), weights=(6, 2, 1))[0]
                actions.react(store, participant, sid, kind)
        practices = _share_practices(store, people, themes, prng, {p["title"] for p in library}, said)
        for participant, _ in people:
            for practice_id in [*practices, *featured]:
                if prng.random() < 0.3:
                    marked = prng.choice(list(PracticeReaction))
                    with contextlib.suppress(ItemNotFound):
                        actions.react_to_practice(store, participant, practice_id, marked)
    if reached(Phase.PROPOSE):
        proposed: dict[str, int] = {}
        for participant, _ in people:
            t = rng.randrange(len(themes))
            text = rng.choice(said.needs[t])
            if text in proposed:
                with contextlib.suppress(NotYours):
                    actions.back(store, participant, proposed[text])
            else:
                # Some start from what was said on the theme ("Turn this into a need").
                cites = said_on.get(themes[t], [])
                cited = [prng.choice(cites)] if cites and prng.random() < 0.5 else []
                proposed[text] = actions.propose(store, participant, themes[t], text, cites=cited)
        if len(people) >= 2:
            # Somebody writes a near-duplicate, which the facilitator merges.
            duplicate = actions.propose(store, people[-1][0], themes[1], said.duplicate)
            target = proposed.get(said.repeated)
            if target is not None:
                actions.merge_needs(store, access, duplicate, target)
        # Needs point to practices of their theme that answer them.
        answers = {p.theme_id: p.id for p in store.practices(created.workshop.id) if not p.featured}
        for need in store.needs(created.workshop.id):
            if need.theme_id in answers and prng.random() < 0.5:
                actions.link_need_to_practice(store, access, need.id, answers[need.theme_id])
    if reached(Phase.VOTE):
        needs = store.needs(created.workshop.id)
        weights = [len(needs) - i for i in range(len(needs))]
        # Each need has a typical importance and capability, so the matrix shows a pattern;
        # on some needs one team is strong and another needs it (who can help whom).
        profile = {n.id: (rng.randint(1, 5), rng.randint(1, 5)) for n in needs}
        teams = {participant.team for participant, _ in people if participant.team}
        ahead: dict[tuple[int, str | None], tuple[int, int]] = {}
        for need in needs:
            if len(teams) >= 2 and prng.random() < 0.6:
                strong, weak = prng.sample(sorted(teams), 2)
                ahead[need.id, strong] = (profile[need.id][0], 5)
                ahead[need.id, weak] = (5, 1)
        workshop = store.existing_workshop(created.workshop.id)
        for participant, _ in people:
            left, tries = workshop.dot_budget, 0
            while left and needs and tries < 50:
                tries += 1
                need = rng.choices(needs, weights=weights)[0]
                try:
                    left = actions.place_dot(store, participant, need.id)
                except NeedCapReached:
                    continue
            rated = rng.sample(needs, min(3, len(needs)))
            for need in rated:
                importance, capability = ahead.get((need.id, participant.team), profile[need.id])
                actions.rate(store, participant, need.id, _near(rng, importance), _near(rng, capability))
            # … and people rate where their team stands out, too.
            for need in needs:
                if need not in rated and (need.id, participant.team) in ahead:
                    importance, capability = ahead[need.id, participant.team]
                    actions.rate(
                        store, participant, need.id, _near(prng, importance), _near(prng, capability)
                    )
    reached(Phase.RESULTS)
    if reached(Phase.CLOSED):
        # A leader turns the top need into an action, and it gets going.
        top = max(store.needs(created.workshop.id), key=lambda n: (n.dots, -n.id), default=None)
        if top is not None:
            title = said.action.format(need=top.text)
            made = actions.create_follow_up(
                store, access, title, [top.id], owner=said.owner, due_date="2027-06-30"
            )
            actions.update_follow_up(
                store,
                access,
                made,
                title=title,
                owner=said.owner,
                due_date="2027-06-30",
                status="in progress",
                note=said.note,
            )
    return DemoResult(created, people)


def _share_practices(
    store: Store,
    people: list[tuple[Participant, str]],
    themes: list[int],
    prng: random.Random,
    taken: set[str],
    said: Content,
) -> list[int]:
    """About one person in three shares what already works for their team, one of the
    practices not in the library yet (`taken`: their titles); returns the ids."""
    free = [
        (t, title, description)
        for t in range(len(themes))
        for title, description in said.practices[t % len(said.practices)]
        if title not in taken
    ]
    prng.shuffle(free)
    shared = []
    for (participant, _), (t, title, description) in zip(people[::3], free, strict=False):
        shared.append(
            actions.share_practice(
                store, participant, themes[t], title, description, show_name=prng.random() < 0.5
            )
        )
    return shared


def play_self_paced(
    store: Store,
    *,
    participants: int = 30,
    minutes: float = 5.0,
    seed: int = 7,
    language: str = i18n.ENGLISH,
    wait: Callable[[float], None] = time.sleep,
    say: Callable[[str], None] = print,
) -> DemoResult:
    """A self-paced workshop whose schedule runs through every phase in `minutes`, played
    while it runs: `participants` people arrive spread over Share, Propose and Vote, do what
    the open phase asks, and about half of them come back in a later phase. The room moves
    by its schedule only (schedule.move_due, what the app's clock runs: with PostgreSQL a
    running app makes the moves as well, each once). `wait` sleeps; `say` tells progress."""
    said = CONTENT[language]
    rng = random.Random(seed)
    step = minutes * 60 / 4
    start = store.now().replace(microsecond=0) + timedelta(seconds=min(10.0, step / 4))
    opens = tuple((phase, start + timedelta(seconds=step * i)) for i, phase in enumerate(schedule.SCHEDULED))
    base = replace(template(said.template).draft, teams=said.teams, language=language)
    base = replace(base, self_paced=True, time_zone="UTC", schedule=opens)
    created = actions.create_workshop(store, base)
    code, wid = created.workshop.code, created.workshop.id
    say(f"Self-paced demo workshop {code}: every phase in {minutes:g} minutes.")
    themes = [t.id for t in created.workshop.themes]
    arriving = list(range(participants))
    people: list[tuple[Participant, str]] = []
    tick = max(0.2, step / 10)
    per_tick = -(-participants // 30)  # three phases of ten ticks: everyone has come by Vote's end
    phase = Phase.LOBBY
    while phase is not Phase.CLOSED:
        schedule.move_due(store)
        now = store.existing_workshop(wid)
        if now.phase is not phase:
            phase = now.phase
            say(f"{store.now():%H:%M:%S} the schedule opened {phase.value}")
        if phase in (Phase.SHARE, Phase.PROPOSE, Phase.VOTE):
            # Arrivals spread over the three phases: a third of the room each, a tick at a time.
            for i in arriving[:per_tick]:
                person = actions.join(
                    store, code, NAMES[i % len(NAMES)] + f" {i + 1}", said.teams[i % len(said.teams)]
                )
                people.append(person)
                _take_part(store, person[0], phase, themes, said, rng)
            del arriving[:per_tick]
            # Someone who came earlier comes back for what is open now.
            if people and rng.random() < 0.5:
                _take_part(store, rng.choice(people)[0], phase, themes, said, rng)
        wait(tick)
    say(f"{store.now():%H:%M:%S} closed: {len(people)} people took part.")
    return DemoResult(created, people)


def _take_part(
    store: Store, person: Participant, phase: Phase, themes: list[int], said: Content, rng: random.Random
) -> None:
    """What a person who comes by does in the open phase: a statement and a reaction (Share),
    a need or a backing (Propose), their dots (Vote). A refusal (a need gone, a cap) is what
    a person would meet too: they go on."""
    t = rng.randrange(len(themes))
    with contextlib.suppress(CocreateError):
        if phase is Phase.SHARE:
            actions.share(store, person, themes[t], rng.choice(said.statements[t]))
            others = [s.id for s in store.statements(person.workshop_id) if s.participant_id != person.id]
            if others:
                actions.react(store, person, rng.choice(others), rng.choice(list(Reaction)))
        elif phase is Phase.PROPOSE:
            text = rng.choice(said.needs[t])
            same = [n.id for n in store.needs(person.workshop_id) if n.text == text]
            if same:
                actions.back(store, person, same[0])
            else:
                actions.propose(store, person, themes[t], text)
        elif phase is Phase.VOTE:
            needs = store.needs(person.workshop_id)
            for _dot in range(3 if needs else 0):
                actions.place_dot(store, person, rng.choice(needs).id)


def _schedule_around(opened: datetime, until: Phase, zone_name: str) -> Schedule:
    """A schedule whose phase `until` opened at `opened` (UTC), each phase open for the
    default days (the Lobby: Share opens a day after `opened`)."""
    days = [schedule.DEFAULT_DAYS.get(phase, 1) for phase in schedule.SCHEDULED]
    k = schedule.SCHEDULED.index(until) if until in schedule.SCHEDULED else -1
    opened = opened.replace(second=0, microsecond=0)
    start = opened + timedelta(days=1) if k < 0 else opened - timedelta(days=sum(days[:k]))
    local = timezones.to_local(start, zone_name)
    return schedule.from_days(local, dict(zip(schedule.SCHEDULED, days, strict=True)), zone_name)


def _near(rng: random.Random, centre: int) -> int:
    return max(1, min(5, centre + rng.choice((-1, 0, 0, 0, 1))))
