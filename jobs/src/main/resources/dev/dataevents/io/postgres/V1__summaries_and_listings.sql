-- Version 1 of schema data_events: what the jobs write with --jdbc-url, and the two functions that
-- answer the API's reads. Applied once, in one transaction, by the first run that finds it missing
-- (io/postgres/SchemaMigrations.java); a later version is a new file, never an edit of this one.
--
-- A bounded run fills copies of the three tables (CREATE TABLE ... (LIKE ... INCLUDING ALL)) and
-- swaps them in by renaming, in one transaction; the functions name the tables, so they read
-- whichever set is current. A stream replaces one contact's rows at a time.

CREATE SCHEMA IF NOT EXISTS data_events;

-- One row per contact: the identifiers its summary and listing show.
CREATE TABLE data_events.contacts (
  workspace_id     text        NOT NULL,
  contact_key      text        NOT NULL, -- user_id:..., id:... or email:... (lower case)
  user_id          text,
  intercom_user_id text,
  email            text,
  updated_at       timestamptz NOT NULL, -- a stream snapshot's time; a bounded run's reference time
  PRIMARY KEY (workspace_id, contact_key)
);

-- Per contact and event name: what its summary shows. Times are Unix seconds.
CREATE TABLE data_events.event_counts (
  workspace_id text             NOT NULL,
  contact_key  text             NOT NULL,
  event_name   text COLLATE "C" NOT NULL, -- "C": code point order, as the files sort names
  count        bigint           NOT NULL,
  first_at     bigint           NOT NULL,
  last_at      bigint           NOT NULL,
  PRIMARY KEY (workspace_id, contact_key, event_name)
);

-- The events of each contact's 90-day listing window, one row per event.
CREATE TABLE data_events.listed_events (
  workspace_id text             NOT NULL,
  contact_key  text             NOT NULL,
  created_at   bigint           NOT NULL, -- Unix seconds
  event_name   text COLLATE "C" NOT NULL,
  user_id      text,                      -- the event's own identifiers, as sent
  id           text,
  email        text,
  metadata     jsonb            NOT NULL  -- the kept metadata; {} when none was kept
);
-- A page is one range of this index, in listing order: newest first, ties by name.
CREATE UNIQUE INDEX listed_events_page
  ON data_events.listed_events (workspace_id, contact_key, created_at DESC, event_name);
-- A stream removes the events that leave the window by age.
CREATE INDEX listed_events_age ON data_events.listed_events (created_at);

-- ISO-8601 UTC with milliseconds, as the files write first and last.
CREATE FUNCTION data_events.iso_time(unix_seconds bigint) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$
  SELECT to_char(to_timestamp(unix_seconds) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- GET /events?summary=true: the contact's event.summary record, as summaries/ holds it; NULL for
-- a contact the data does not know.
CREATE FUNCTION data_events.event_summary(workspace_id text, contact_key text) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
           'type', 'event.summary',
           'workspace_id', c.workspace_id,
           'user_id', c.user_id,
           'intercom_user_id', c.intercom_user_id,
           'email', c.email,
           'events', coalesce(
             (SELECT jsonb_agg(
                       jsonb_build_object(
                         'name', s.event_name,
                         'first', data_events.iso_time(s.first_at),
                         'last', data_events.iso_time(s.last_at),
                         'count', s.count,
                         'description', NULL)
                       ORDER BY s.event_name)
                FROM data_events.event_counts s
               WHERE s.workspace_id = c.workspace_id AND s.contact_key = c.contact_key),
             '[]'::jsonb))
    FROM data_events.contacts c
   WHERE c.workspace_id = event_summary.workspace_id
     AND c.contact_key = event_summary.contact_key
$$;

-- GET /events: page `page` (from 1) of the contact's event.list with `per_page` events to a page,
-- as listings/ holds it for that --per-page; NULL for a contact with no listed event and for a
-- page past the last, as the files have no such page.
CREATE FUNCTION data_events.event_list(workspace_id text, contact_key text, page int, per_page int)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  -- Scalars, not a %ROWTYPE: a swap replaces the table and with it its row type.
  shown_user_id text;
  shown_id text;
  shown_email text;
  total bigint;
  total_pages bigint;
  events jsonb;
BEGIN
  IF page IS NULL OR per_page IS NULL OR page < 1 OR per_page < 1 THEN
    RAISE EXCEPTION 'page and per_page must be at least 1, not % and %', page, per_page
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT c.user_id, c.intercom_user_id, c.email INTO shown_user_id, shown_id, shown_email
    FROM data_events.contacts c
   WHERE c.workspace_id = event_list.workspace_id AND c.contact_key = event_list.contact_key;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT count(*) INTO total FROM data_events.listed_events l
   WHERE l.workspace_id = event_list.workspace_id AND l.contact_key = event_list.contact_key;
  total_pages := (total + per_page - 1) / per_page;
  IF page > total_pages THEN
    RETURN NULL;
  END IF;
  SELECT coalesce(jsonb_agg(
           jsonb_build_object('type', 'event', 'event_name', p.event_name, 'created_at', p.created_at)
           || jsonb_strip_nulls(jsonb_build_object('user_id', p.user_id, 'id', p.id, 'email', p.email))
           || jsonb_build_object('metadata', p.metadata)
           ORDER BY p.created_at DESC, p.event_name), '[]'::jsonb)
    INTO events
    FROM (SELECT * FROM data_events.listed_events l
           WHERE l.workspace_id = event_list.workspace_id AND l.contact_key = event_list.contact_key
           ORDER BY l.created_at DESC, l.event_name
           OFFSET (page::bigint - 1) * per_page LIMIT per_page) p;
  RETURN jsonb_build_object(
    'type', 'event.list',
    'workspace_id', event_list.workspace_id,
    'user_id', shown_user_id,
    'intercom_user_id', shown_id,
    'email', shown_email,
    'events', events,
    'pages', jsonb_build_object(
      'type', 'pages',
      'page', page,
      'per_page', per_page,
      'total_pages', total_pages,
      'next', CASE WHEN page < total_pages THEN page + 1 END));
END
$$;
