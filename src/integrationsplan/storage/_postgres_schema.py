"""The PostgreSQL schema, roles and migrations (internal; ``integrationsplan store setup --print-sql``).

Three group roles, none of which can log in:

* ``integrationsplan_owner`` owns the schema, the tables and the functions that may
  delete (erasure) or re-tag rows. Nobody logs in as it.
* ``integrationsplan_app`` is what a town's login role is granted: SELECT and INSERT on
  revisions and records, SELECT, INSERT and UPDATE on heads, and EXECUTE on the erase
  function. No UPDATE or DELETE on revisions or records, no DELETE on heads.
* ``integrationsplan_reporting`` reads heads and records (what the key-figures report
  needs), of every town, and nothing else: not the revisions with their history.

The functions raise their own SQLSTATEs: ``IPAPP`` (append-only refused), ``IPGAP``
(a revision number that does not follow), ``IPUNK`` (an unknown plan, or another
town's) and ``IPHED`` (revisions continue a plan whose head is missing).

Row-level security does the separation: a row is visible to (and may be written by) a
role only if ``town_roles`` maps a role it has to the row's municipality (AGS). A login
role (or a group role per town, granted to several logins) is mapped with
``integrationsplan store grant``.
"""

# ruff: noqa: S608 - fixed SQL of this module, no input in it
from __future__ import annotations

__all__ = ["MIGRATIONS", "SCHEMA", "SCHEMA_VERSION", "grant_statements"]

#: The version of the schema this release writes.
SCHEMA_VERSION = 1

_ROLES = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'integrationsplan_owner') THEN
        CREATE ROLE integrationsplan_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'integrationsplan_app') THEN
        CREATE ROLE integrationsplan_app NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'integrationsplan_reporting') THEN
        CREATE ROLE integrationsplan_reporting NOLOGIN;
    END IF;
END
$$;
"""

#: A store opened for one municipality sets ``integrationsplan.municipality`` on its
#: connections; the policies then show only that municipality's rows. The setting can
#: only narrow what a role sees, never widen it, so setting it by hand gains nothing.
_NARROWED = (
    "municipality_ags = COALESCE(NULLIF(current_setting('integrationsplan.municipality', true), ''), municipality_ags)"
)
_OWN = f"municipality_ags IN (SELECT municipality_ags FROM integrationsplan.town_roles) AND {_NARROWED}"

#: One statement each; run in one transaction by ``setup`` (as a superuser or a role that
#: may create roles and schemas).
SCHEMA: list[str] = [
    _ROLES,
    # The exclusion constraints of appointments compare text with = in a GiST index.
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "CREATE SCHEMA integrationsplan AUTHORIZATION integrationsplan_owner",
    "SET LOCAL ROLE integrationsplan_owner",
    "CREATE TABLE integrationsplan.meta (key text PRIMARY KEY, value text NOT NULL)",
    """CREATE TABLE integrationsplan.town_roles (
        role_name name NOT NULL,
        municipality_ags text NOT NULL CHECK (municipality_ags ~ '^[0-9]{8}$'),
        PRIMARY KEY (role_name, municipality_ags)
    )""",
    """CREATE TABLE integrationsplan.revisions (
        plan_id text COLLATE "C" NOT NULL,
        number integer NOT NULL CHECK (number >= 1),
        municipality_ags text NOT NULL,
        recorded_at timestamptz NOT NULL,
        hash text NOT NULL,
        document bytea NOT NULL,
        PRIMARY KEY (plan_id, number)
    )""",
    """CREATE TABLE integrationsplan.heads (
        plan_id text COLLATE "C" PRIMARY KEY,
        number integer NOT NULL,
        recorded_at timestamptz NOT NULL,
        hash text NOT NULL,
        municipality_ags text NOT NULL,
        status text NOT NULL,
        manager_id text,
        person_id text NOT NULL,
        document bytea NOT NULL
    )""",
    "CREATE INDEX heads_by_municipality ON integrationsplan.heads (municipality_ags, plan_id)",
    "CREATE INDEX heads_by_manager ON integrationsplan.heads (manager_id)",
    # The person index: every plan of one person, for data-subject requests (Art. 15, 17).
    "CREATE INDEX heads_by_person ON integrationsplan.heads (person_id)",
    """CREATE TABLE integrationsplan.records (
        plan_id text COLLATE "C" NOT NULL,
        number integer NOT NULL,
        position integer NOT NULL,
        kind text NOT NULL,
        day date NOT NULL,
        municipality_ags text NOT NULL,
        document bytea NOT NULL,
        PRIMARY KEY (plan_id, number, position)
    )""",
    "CREATE INDEX records_by_municipality ON integrationsplan.records (municipality_ags, kind, day)",
    # Non-personal: which plan id was erased, where, when, by whom, how many revisions.
    # After a backup is restored, these are the plans to erase again.
    """CREATE TABLE integrationsplan.erasures (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        plan_id text COLLATE "C" NOT NULL,
        municipality_ags text NOT NULL,
        revisions integer NOT NULL,
        erased_at timestamptz NOT NULL DEFAULT now(),
        erased_by name NOT NULL DEFAULT session_user
    )""",
    # Who read which plan when: ids and codes only, append-only, each town's rows its own.
    """CREATE TABLE integrationsplan.access_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        purpose text NOT NULL,
        plan_id text COLLATE "C" NOT NULL,
        municipality_ags text NOT NULL,
        operation text NOT NULL
    )""",
    "CREATE INDEX access_log_by_plan ON integrationsplan.access_log (plan_id, id)",
    # Appointments: the database itself keeps a manager, and a room, from being booked
    # twice at one time, for every writer (exclusion constraints over the time range).
    """CREATE TABLE integrationsplan.appointments (
        id text COLLATE "C" PRIMARY KEY,
        version integer NOT NULL,
        municipality_ags text NOT NULL,
        manager_id text NOT NULL,
        room text,
        plan_id text COLLATE "C",
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        holds_time boolean NOT NULL,
        document bytea NOT NULL,
        CHECK (ends_at > starts_at),
        CONSTRAINT manager_booked_once EXCLUDE USING gist
            (municipality_ags WITH =, manager_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
            WHERE (holds_time),
        CONSTRAINT room_booked_once EXCLUDE USING gist
            (municipality_ags WITH =, room WITH =, tstzrange(starts_at, ends_at) WITH &&)
            WHERE (holds_time AND room IS NOT NULL)
    )""",
    "CREATE INDEX appointments_by_plan ON integrationsplan.appointments (plan_id)",
    "CREATE INDEX appointments_by_start ON integrationsplan.appointments (municipality_ags, starts_at)",
    """CREATE FUNCTION integrationsplan.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'IPAPP';
    END
    $$""",
    """CREATE TRIGGER access_log_is_append_only BEFORE UPDATE OR DELETE ON integrationsplan.access_log
        FOR EACH ROW EXECUTE FUNCTION integrationsplan.refuse_change()""",
    # -- append-only, enforced by triggers --------------------------------------------------
    """CREATE FUNCTION integrationsplan.guard_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Only the owner (the erase and re-tag functions run as the owner) may delete, and
        -- an update may only move a plan's revisions to its new municipality.
        IF current_user = 'integrationsplan_owner' THEN
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            IF TG_TABLE_NAME = 'revisions'
                AND (NEW.plan_id, NEW.number, NEW.recorded_at, NEW.hash, NEW.document)
                    IS NOT DISTINCT FROM (OLD.plan_id, OLD.number, OLD.recorded_at, OLD.hash, OLD.document) THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION '% are append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'IPAPP';
    END
    $$""",
    """CREATE TRIGGER revisions_are_append_only BEFORE UPDATE OR DELETE ON integrationsplan.revisions
        FOR EACH ROW EXECUTE FUNCTION integrationsplan.guard_history()""",
    """CREATE TRIGGER records_are_append_only BEFORE UPDATE OR DELETE ON integrationsplan.records
        FOR EACH ROW EXECUTE FUNCTION integrationsplan.guard_history()""",
    """CREATE FUNCTION integrationsplan.guard_head_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_user = 'integrationsplan_owner' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'heads are deleted only by erasure' USING ERRCODE = 'IPAPP';
    END
    $$""",
    """CREATE TRIGGER heads_are_deleted_only_by_erasure BEFORE DELETE ON integrationsplan.heads
        FOR EACH ROW EXECUTE FUNCTION integrationsplan.guard_head_delete()""",
    """CREATE FUNCTION integrationsplan.follow_without_gaps() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.number <> COALESCE(
            (SELECT max(number) FROM integrationsplan.revisions WHERE plan_id = NEW.plan_id), 0) + 1 THEN
            RAISE EXCEPTION 'revision numbers follow without gaps' USING ERRCODE = 'IPGAP';
        END IF;
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER revisions_follow_without_gaps BEFORE INSERT ON integrationsplan.revisions
        FOR EACH ROW EXECUTE FUNCTION integrationsplan.follow_without_gaps()""",
    # -- appending: one call, one round trip, one transaction -------------------------------
    # SECURITY INVOKER (the default): privileges, row-level security and the triggers apply
    # to the caller exactly as to the statements inside. The gap trigger and the primary key
    # refuse a stale or skipping revision; the head moves only from the number before.
    """CREATE FUNCTION integrationsplan.append_revisions(
        p_plan_id text, p_ags text,
        p_numbers integer[], p_recorded_at timestamptz[], p_hashes text[], p_documents bytea[],
        p_head_number integer, p_head_recorded_at timestamptz, p_head_hash text,
        p_status text, p_manager_id text, p_person_id text, p_head_document bytea,
        p_record_numbers integer[], p_positions integer[], p_kinds text[], p_days date[],
        p_record_ags text[], p_record_documents bytea[]
    ) RETURNS void LANGUAGE plpgsql SET search_path = integrationsplan, pg_temp AS $$
    BEGIN
        INSERT INTO integrationsplan.revisions (plan_id, number, municipality_ags, recorded_at, hash, document)
            SELECT p_plan_id, t.n, p_ags, t.r, t.h, t.d
            FROM unnest(p_numbers, p_recorded_at, p_hashes, p_documents) AS t(n, r, h, d) ORDER BY t.n;
        IF cardinality(p_record_numbers) > 0 THEN
            INSERT INTO integrationsplan.records (plan_id, number, position, kind, day, municipality_ags, document)
                SELECT p_plan_id, t.n, t.p, t.k, t.d, t.a, t.doc
                FROM unnest(p_record_numbers, p_positions, p_kinds, p_days, p_record_ags, p_record_documents)
                    AS t(n, p, k, d, a, doc);
        END IF;
        IF p_numbers[1] = 1 THEN
            INSERT INTO integrationsplan.heads
                (plan_id, number, recorded_at, hash, municipality_ags, status, manager_id, person_id, document)
                VALUES (p_plan_id, p_head_number, p_head_recorded_at, p_head_hash, p_ags, p_status,
                        p_manager_id, p_person_id, p_head_document);
        ELSE
            UPDATE integrationsplan.heads SET number = p_head_number, recorded_at = p_head_recorded_at,
                hash = p_head_hash, municipality_ags = p_ags, status = p_status, manager_id = p_manager_id,
                person_id = p_person_id, document = p_head_document
                WHERE plan_id = p_plan_id AND number = p_numbers[1] - 1;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'the plan has revisions but no head at the number before' USING ERRCODE = 'IPHED';
            END IF;
        END IF;
    END
    $$""",
    # -- a plan that moves takes its history along ------------------------------------------
    """CREATE FUNCTION integrationsplan.move_history() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = integrationsplan, pg_temp AS $$
    BEGIN
        UPDATE integrationsplan.revisions SET municipality_ags = NEW.municipality_ags
            WHERE plan_id = NEW.plan_id AND municipality_ags <> NEW.municipality_ags;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER heads_move_their_history AFTER UPDATE OF municipality_ags ON integrationsplan.heads
        FOR EACH ROW WHEN (OLD.municipality_ags IS DISTINCT FROM NEW.municipality_ags)
        EXECUTE FUNCTION integrationsplan.move_history()""",
    # -- notifications: ids and numbers only, one channel per municipality ------------------
    """CREATE FUNCTION integrationsplan.notify_appended() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('integrationsplan_' || NEW.municipality_ags,
            json_build_object('plan_id', NEW.plan_id, 'number', NEW.number)::text);
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER revisions_notify AFTER INSERT ON integrationsplan.revisions
        FOR EACH ROW EXECUTE FUNCTION integrationsplan.notify_appended()""",
    # -- erasure: the one sanctioned deletion -----------------------------------------------
    """CREATE FUNCTION integrationsplan.erase_plan(p_plan_id text) RETURNS integer LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = integrationsplan, pg_temp AS $$
    DECLARE
        ags text;
        removed integer;
    BEGIN
        SELECT municipality_ags INTO ags FROM integrationsplan.heads WHERE plan_id = p_plan_id;
        IF ags IS NULL THEN
            SELECT municipality_ags INTO ags FROM integrationsplan.revisions WHERE plan_id = p_plan_id LIMIT 1;
        END IF;
        -- Another town's plan is as unknown as a plan that does not exist.
        IF ags IS NULL OR NOT EXISTS (
            SELECT FROM integrationsplan.town_roles t
            WHERE t.municipality_ags = ags AND pg_has_role(session_user, t.role_name, 'USAGE')
        ) THEN
            RAISE EXCEPTION 'unknown plan' USING ERRCODE = 'IPUNK';
        END IF;
        DELETE FROM integrationsplan.records WHERE plan_id = p_plan_id;
        DELETE FROM integrationsplan.revisions WHERE plan_id = p_plan_id;
        GET DIAGNOSTICS removed = ROW_COUNT;
        DELETE FROM integrationsplan.heads WHERE plan_id = p_plan_id;
        INSERT INTO integrationsplan.erasures (plan_id, municipality_ags, revisions)
            VALUES (p_plan_id, ags, removed);
        RETURN removed;
    END
    $$""",
    # -- row-level security -------------------------------------------------------------------
    "ALTER TABLE integrationsplan.town_roles ENABLE ROW LEVEL SECURITY",
    """CREATE POLICY own_roles ON integrationsplan.town_roles FOR SELECT
        TO integrationsplan_app USING (pg_has_role(role_name, 'USAGE'))""",
    *(
        statement
        for table in ("revisions", "heads", "records", "access_log", "appointments")
        for statement in (
            f"ALTER TABLE integrationsplan.{table} ENABLE ROW LEVEL SECURITY",
            f"""CREATE POLICY own_municipality ON integrationsplan.{table} TO integrationsplan_app
                USING ({_OWN}) WITH CHECK ({_OWN})""",
        )
    ),
    *(
        f"CREATE POLICY every_municipality ON integrationsplan.{table} FOR SELECT"
        f" TO integrationsplan_reporting USING ({_NARROWED})"
        for table in ("heads", "records")
    ),
    # -- privileges -----------------------------------------------------------------------------
    "REVOKE ALL ON ALL TABLES IN SCHEMA integrationsplan FROM PUBLIC",
    "REVOKE ALL ON ALL FUNCTIONS IN SCHEMA integrationsplan FROM PUBLIC",
    "GRANT USAGE ON SCHEMA integrationsplan TO integrationsplan_app, integrationsplan_reporting",
    "GRANT SELECT ON integrationsplan.meta TO integrationsplan_app, integrationsplan_reporting",
    "GRANT SELECT ON integrationsplan.town_roles TO integrationsplan_app",
    "GRANT SELECT, INSERT ON integrationsplan.revisions, integrationsplan.records TO integrationsplan_app",
    "GRANT SELECT, INSERT, UPDATE ON integrationsplan.heads TO integrationsplan_app",
    "GRANT SELECT, INSERT ON integrationsplan.access_log TO integrationsplan_app",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON integrationsplan.appointments TO integrationsplan_app",
    "GRANT EXECUTE ON FUNCTION integrationsplan.erase_plan(text) TO integrationsplan_app",
    "GRANT EXECUTE ON FUNCTION integrationsplan.append_revisions TO integrationsplan_app",
    "GRANT SELECT ON integrationsplan.heads, integrationsplan.records TO integrationsplan_reporting",
    f"INSERT INTO integrationsplan.meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}')",
]

#: Migrations from version N to N + 1, each run in one transaction by ``migrate`` as the
#: owner. Version 1 is the first PostgreSQL schema; later releases add their steps here.
MIGRATIONS: dict[int, list[str]] = {}


def grant_statements(
    role: str, municipalities: list[str], *, reporting: bool = False
) -> list[tuple[str, tuple[str, ...]]]:
    """Statements (with parameters) that let ``role`` use the store for ``municipalities``.

    ``role`` must already exist (``CREATE ROLE ... LOGIN PASSWORD ...`` is the database
    administrator's own step). It is quoted as an identifier by the caller.
    """
    statements: list[tuple[str, tuple[str, ...]]] = []
    if reporting:
        statements.append(("GRANT integrationsplan_reporting TO {role}", ()))
    if municipalities:
        statements.append(("GRANT integrationsplan_app TO {role}", ()))
    statements.extend(
        (
            (
                "INSERT INTO integrationsplan.town_roles (role_name, municipality_ags) VALUES (%s, %s)"
                " ON CONFLICT DO NOTHING"
            ),
            (role, ags),
        )
        for ags in municipalities
    )
    return statements
