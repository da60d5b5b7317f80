"""The schema of the Cocreate database, both backends', as ordered migrations.

Each entry is applied once, in order, in its own transaction; `schema_version` records
which have been applied. An entry is SQL both backends run, and SQL for PostgreSQL alone
(what several processes sharing one database need). Never edit an applied migration: add
a new one.
"""

from __future__ import annotations

SCHEMA_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
)

MIGRATIONS: tuple[tuple[int, str] | tuple[int, str, str], ...] = (
    (
        1,
        """
        CREATE SEQUENCE workshop_ids;
        CREATE SEQUENCE theme_ids;
        CREATE SEQUENCE participant_ids;
        CREATE SEQUENCE statement_ids;
        CREATE SEQUENCE need_ids;
        CREATE SEQUENCE phase_change_ids;
        CREATE SEQUENCE event_ids;

        CREATE TABLE workshops (
            id INTEGER PRIMARY KEY,
            code VARCHAR NOT NULL UNIQUE,
            title VARCHAR NOT NULL,
            strategy VARCHAR NOT NULL,
            phase VARCHAR NOT NULL,
            dot_budget INTEGER NOT NULL,
            per_need_cap INTEGER NOT NULL,
            anonymous BOOLEAN NOT NULL,
            hide_results BOOLEAN NOT NULL,
            revealed BOOLEAN NOT NULL,
            rate_needs BOOLEAN NOT NULL,
            timer_ends_at TIMESTAMP,
            facilitator_key_hash VARCHAR NOT NULL,
            presenter_token_hash VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL
        );

        CREATE TABLE themes (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            title VARCHAR NOT NULL,
            prompt VARCHAR NOT NULL
        );

        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            token_hash VARCHAR NOT NULL UNIQUE,
            name VARCHAR,
            team VARCHAR,
            joined_at TIMESTAMP NOT NULL
        );

        CREATE TABLE statements (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            theme_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            hidden BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );

        CREATE TABLE reactions (
            statement_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            workshop_id INTEGER NOT NULL,
            kind VARCHAR NOT NULL CHECK (kind IN ('agree', 'disagree', 'pass')),
            reacted_at TIMESTAMP NOT NULL,
            PRIMARY KEY (statement_id, participant_id)
        );

        CREATE TABLE needs (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            theme_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            hidden BOOLEAN NOT NULL DEFAULT false,
            merged_into INTEGER,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );

        -- "Me too": one row per participant and need; the author never backs their own need.
        CREATE TABLE backings (
            need_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            workshop_id INTEGER NOT NULL,
            backed_at TIMESTAMP NOT NULL,
            PRIMARY KEY (need_id, participant_id)
        );

        -- A participant's dots are numbered slots 0..budget-1, and their dots on one need
        -- are numbered 0..cap-1, so neither limit can be exceeded even by racing writes.
        CREATE TABLE dots (
            workshop_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            slot INTEGER NOT NULL,
            need_id INTEGER NOT NULL,
            need_slot INTEGER NOT NULL,
            placed_at TIMESTAMP NOT NULL,
            PRIMARY KEY (workshop_id, participant_id, slot),
            UNIQUE (workshop_id, participant_id, need_id, need_slot)
        );

        CREATE TABLE ratings (
            need_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            workshop_id INTEGER NOT NULL,
            importance INTEGER CHECK (importance BETWEEN 1 AND 5),
            capability INTEGER CHECK (capability BETWEEN 1 AND 5),
            rated_at TIMESTAMP NOT NULL,
            PRIMARY KEY (need_id, participant_id)
        );

        CREATE TABLE phase_changes (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            from_phase VARCHAR NOT NULL,
            to_phase VARCHAR NOT NULL,
            changed_at TIMESTAMP NOT NULL
        );

        -- Append-only log of who did what, when: timelines and audits read it.
        CREATE TABLE events (
            id BIGINT PRIMARY KEY,
            workshop_id INTEGER,
            happened_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            participant_id INTEGER,
            action VARCHAR NOT NULL,
            subject_id INTEGER,
            detail VARCHAR
        );

        -- Opened facilitator and organisation sessions; the token lives in the page link.
        CREATE TABLE sessions (
            token_hash VARCHAR PRIMARY KEY,
            role VARCHAR NOT NULL CHECK (role IN ('facilitator', 'organisation')),
            workshop_id INTEGER,
            created_at TIMESTAMP NOT NULL
        );
        """,
    ),
    (
        2,
        """
        CREATE SEQUENCE follow_up_ids;

        -- A development action a leader takes on one or more needs.
        CREATE TABLE follow_ups (
            id INTEGER PRIMARY KEY,
            title VARCHAR NOT NULL,
            owner VARCHAR,
            due_date DATE,
            status VARCHAR NOT NULL CHECK (status IN ('planned', 'in progress', 'done')),
            created_by VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );

        CREATE TABLE follow_up_needs (
            follow_up_id INTEGER NOT NULL,
            need_id INTEGER NOT NULL,
            PRIMARY KEY (follow_up_id, need_id)
        );
        """,
    ),
    (
        3,
        "",
        # PostgreSQL: where each workshop's data stands, for every process to see every
        # write (backends.SharedVersions), and the indexes its per-workshop reads use (a
        # DuckDB file is scanned whole, fast enough at a workshop's size).
        """
        CREATE TABLE IF NOT EXISTS data_versions (
            workshop_id INTEGER PRIMARY KEY,
            version BIGINT NOT NULL,
            removal_version BIGINT NOT NULL,
            settings_version BIGINT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS themes_workshop ON themes (workshop_id);
        CREATE INDEX IF NOT EXISTS participants_workshop ON participants (workshop_id);
        CREATE INDEX IF NOT EXISTS statements_workshop ON statements (workshop_id);
        CREATE INDEX IF NOT EXISTS reactions_workshop ON reactions (workshop_id, participant_id);
        CREATE INDEX IF NOT EXISTS needs_workshop ON needs (workshop_id);
        CREATE INDEX IF NOT EXISTS needs_merged_into ON needs (merged_into);
        CREATE INDEX IF NOT EXISTS backings_workshop ON backings (workshop_id, participant_id);
        CREATE INDEX IF NOT EXISTS dots_need ON dots (need_id);
        CREATE INDEX IF NOT EXISTS ratings_workshop ON ratings (workshop_id, participant_id);
        CREATE INDEX IF NOT EXISTS phase_changes_workshop ON phase_changes (workshop_id);
        CREATE INDEX IF NOT EXISTS events_workshop ON events (workshop_id);
        CREATE INDEX IF NOT EXISTS sessions_workshop ON sessions (workshop_id);
        """,
    ),
    (
        4,
        """
        -- The teams a facilitator lists for a workshop: participants pick theirs from them.
        CREATE TABLE teams (
            workshop_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            name VARCHAR NOT NULL,
            PRIMARY KEY (workshop_id, position)
        );

        -- One spelling per team and workshop: names that differ only in case ("Sales",
        -- "sales") become the one its first member typed, so that breakdowns count them once.
        UPDATE participants SET team = (
            SELECT f.team FROM participants f
            WHERE f.workshop_id = participants.workshop_id AND lower(f.team) = lower(participants.team)
            ORDER BY f.id LIMIT 1
        )
        WHERE team IS NOT NULL;
        """,
    ),
    (
        5,
        """
        CREATE SEQUENCE merge_ids;

        -- Each merge of one need into another, with what it moved (JSON: backings, dots,
        -- ratings, needs merged before), so that a merge can be undone exactly.
        CREATE TABLE merges (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            source_id INTEGER NOT NULL,
            target_id INTEGER NOT NULL,
            merged_at TIMESTAMP NOT NULL,
            undone_at TIMESTAMP,
            moved VARCHAR NOT NULL
        );
        """,
        "CREATE INDEX IF NOT EXISTS merges_source ON merges (workshop_id, source_id);",
    ),
    (
        6,
        """
        -- The projector: dark for a dim room; its turning pages held still by the facilitator.
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS projector_dark BOOLEAN DEFAULT false;
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS projector_paused BOOLEAN DEFAULT false;
        """,
    ),
    (
        7,
        """
        -- Voting locked once the results are revealed (a setting of the workshop).
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS lock_after_reveal BOOLEAN DEFAULT false;
        """,
    ),
    (
        8,
        """
        -- A participant the facilitator removed: their link opens nothing, they count nowhere.
        ALTER TABLE participants ADD COLUMN IF NOT EXISTS removed BOOLEAN DEFAULT false;
        """,
    ),
    (
        9,
        """
        -- Whether the Share phase also asks "What already works for you here?".
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS ask_practices BOOLEAN DEFAULT true;

        CREATE SEQUENCE IF NOT EXISTS practice_ids;

        -- What already works for people, per theme: shared in a workshop, kept across them
        -- (the practice library). `show_name`: the author chose to be named (named workshops).
        CREATE TABLE IF NOT EXISTS practices (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            theme_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            title VARCHAR NOT NULL,
            description VARCHAR NOT NULL,
            show_name BOOLEAN NOT NULL DEFAULT false,
            hidden BOOLEAN NOT NULL DEFAULT false,
            archived BOOLEAN NOT NULL DEFAULT false,
            merged_into INTEGER,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );

        -- "We do this too" and "We'd like to try this": one of each per person and practice.
        -- `workshop_id` is the person's (a featured practice comes from an earlier workshop).
        CREATE TABLE IF NOT EXISTS practice_reactions (
            practice_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            workshop_id INTEGER NOT NULL,
            kind VARCHAR NOT NULL CHECK (kind IN ('do_too', 'want_to_try')),
            reacted_at TIMESTAMP NOT NULL,
            PRIMARY KEY (practice_id, participant_id, kind)
        );

        -- A need points to practices that answer it ("learn from this").
        CREATE TABLE IF NOT EXISTS need_practices (
            need_id INTEGER NOT NULL,
            practice_id INTEGER NOT NULL,
            workshop_id INTEGER NOT NULL,
            linked_by VARCHAR NOT NULL,
            linked_at TIMESTAMP NOT NULL,
            PRIMARY KEY (need_id, practice_id)
        );

        -- Practices of earlier workshops a facilitator shows in this one.
        CREATE TABLE IF NOT EXISTS featured_practices (
            workshop_id INTEGER NOT NULL,
            practice_id INTEGER NOT NULL,
            featured_at TIMESTAMP NOT NULL,
            PRIMARY KEY (workshop_id, practice_id)
        );
        """,
        """
        CREATE INDEX IF NOT EXISTS practices_workshop ON practices (workshop_id);
        CREATE INDEX IF NOT EXISTS practice_reactions_workshop ON practice_reactions (workshop_id, participant_id);
        CREATE INDEX IF NOT EXISTS need_practices_workshop ON need_practices (workshop_id);
        """,
    ),
    (
        10,
        """
        -- An action may also answer people's wish to try a practice ("We'd like to try this"),
        -- for the workshop whose people asked; done, the practice counts as adopted there.
        CREATE TABLE IF NOT EXISTS follow_up_practices (
            follow_up_id INTEGER NOT NULL,
            practice_id INTEGER NOT NULL,
            workshop_id INTEGER NOT NULL,
            PRIMARY KEY (follow_up_id, practice_id)
        );

        -- When an action was last marked done (adoption counts over time).
        ALTER TABLE follow_ups ADD COLUMN IF NOT EXISTS done_at TIMESTAMP;
        UPDATE follow_ups SET done_at = updated_at WHERE status = 'done' AND done_at IS NULL;

        -- Whether the projector's Results also show who can help whom.
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS show_help_pairs BOOLEAN DEFAULT false;
        """,
    ),
    (
        11,
        """
        -- A need cites the statements it came from ("Turn this into a need", or the
        -- facilitator's link); a merged need's citations show on the need it went into.
        CREATE TABLE IF NOT EXISTS need_statements (
            need_id INTEGER NOT NULL,
            statement_id INTEGER NOT NULL,
            workshop_id INTEGER NOT NULL,
            linked_by VARCHAR NOT NULL,
            linked_at TIMESTAMP NOT NULL,
            PRIMARY KEY (need_id, statement_id)
        );
        """,
        """
        CREATE INDEX IF NOT EXISTS need_statements_workshop ON need_statements (workshop_id);
        """,
    ),
    (
        12,
        """
        -- An action, whole: a note while it runs, an outcome when it closes, and the dates
        -- of its statuses (a timeline on Review, and what participants see).
        ALTER TABLE follow_ups ADD COLUMN IF NOT EXISTS note VARCHAR;
        ALTER TABLE follow_ups ADD COLUMN IF NOT EXISTS outcome VARCHAR;
        CREATE TABLE IF NOT EXISTS follow_up_history (
            follow_up_id INTEGER NOT NULL,
            status VARCHAR NOT NULL,
            changed_at TIMESTAMP NOT NULL,
            changed_by VARCHAR NOT NULL
        );
        INSERT INTO follow_up_history
            SELECT id, status, updated_at, created_by FROM follow_ups
            WHERE id NOT IN (SELECT follow_up_id FROM follow_up_history);
        """,
    ),
    (
        13,
        """
        -- A check-in after the workshop: the same people rate their team's current capability
        -- on the needs they rated, again, while the facilitator keeps it open.
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS checkin_open BOOLEAN DEFAULT false;
        CREATE TABLE IF NOT EXISTS checkins (
            need_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            workshop_id INTEGER NOT NULL,
            capability INTEGER NOT NULL CHECK (capability BETWEEN 1 AND 5),
            checked_at TIMESTAMP NOT NULL,
            PRIMARY KEY (need_id, participant_id)
        );
        """,
    ),
    (
        14,
        """
        -- More workshops a facilitator session opens on Review, each added with its own key.
        CREATE TABLE IF NOT EXISTS session_workshops (
            token_hash VARCHAR NOT NULL,
            workshop_id INTEGER NOT NULL,
            added_at TIMESTAMP NOT NULL,
            PRIMARY KEY (token_hash, workshop_id)
        );
        """,
    ),
    (
        15,
        """
        -- The language the workshop speaks to its room (participants may switch their own screen).
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS language VARCHAR DEFAULT 'en';
        """,
    ),
    (
        16,
        """
        -- A self-paced workshop: its phases open on a schedule (in UTC; the workshop's time
        -- zone is how its people and facilitator read it), and the app moves the room.
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS self_paced BOOLEAN DEFAULT false;
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS time_zone VARCHAR DEFAULT 'UTC';
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS schedule_paused BOOLEAN DEFAULT false;
        CREATE TABLE IF NOT EXISTS phase_schedule (
            workshop_id INTEGER NOT NULL,
            phase VARCHAR NOT NULL,
            opens_at TIMESTAMP NOT NULL,
            PRIMARY KEY (workshop_id, phase)
        );
        -- Who moved the room: the facilitator (or an organisation session), or the schedule.
        ALTER TABLE phase_changes ADD COLUMN IF NOT EXISTS moved_by VARCHAR DEFAULT 'facilitator';
        """,
    ),
    (
        17,
        """
        -- A chat's incoming webhook the workshop announces itself to (a secret: never exported,
        -- shown masked), and the posts to it: made with the move or the look that asks for them
        -- (one per kind and subject: `what`), sent and retried apart from any move.
        ALTER TABLE workshops ADD COLUMN IF NOT EXISTS webhook_url VARCHAR;
        CREATE TABLE IF NOT EXISTS announcements (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            what VARCHAR NOT NULL,
            body VARCHAR NOT NULL,
            made_at TIMESTAMP NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_try_at TIMESTAMP NOT NULL,
            sent_at TIMESTAMP,
            last_error VARCHAR,
            UNIQUE (workshop_id, what)
        );
        CREATE SEQUENCE IF NOT EXISTS announcement_ids;

        -- Stories of practice: how a practice went for someone who tried it (a person of a
        -- workshop, or the owner of an action that tried it out), told where the practice shows.
        CREATE TABLE IF NOT EXISTS practice_stories (
            id INTEGER PRIMARY KEY,
            practice_id INTEGER NOT NULL,
            workshop_id INTEGER NOT NULL,
            participant_id INTEGER,
            told_by VARCHAR NOT NULL,
            follow_up_id INTEGER,
            tried VARCHAR NOT NULL,
            happened VARCHAR NOT NULL,
            recommend VARCHAR NOT NULL CHECK (recommend IN ('yes', 'partly', 'no')),
            show_name BOOLEAN NOT NULL DEFAULT false,
            hidden BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMP NOT NULL,
            UNIQUE (practice_id, participant_id)
        );
        CREATE SEQUENCE IF NOT EXISTS story_ids;
        """,
    ),
)

LATEST = MIGRATIONS[-1][0]


def scripts(kind: str, applied: int) -> list[tuple[int, list[str]]]:
    """The migrations after version `applied`, each as the scripts a backend of `kind`
    ("duckdb" or "postgresql") runs for it, in order."""
    pending = []
    for version, common, *postgresql in MIGRATIONS:
        if version > applied:
            run = [common] + (postgresql if kind == "postgresql" else [])
            pending.append((version, [sql for sql in run if sql.strip()]))
    return pending
