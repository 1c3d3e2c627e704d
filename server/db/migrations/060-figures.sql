-- The official figures (Biểu 06/VPCP/KSTT, the indicators of Quyết định 766/QĐ-TTg) and the citizens' catalogue.

-- Shared with the dossiers branch, word for word: the submission channel and the papers a procedure needs.
ALTER TABLE dossiers ADD COLUMN IF NOT EXISTS channel text NOT NULL DEFAULT 'in_person' CHECK (channel IN ('in_person','online','postal'));
ALTER TABLE procedures ADD COLUMN IF NOT EXISTS papers jsonb NOT NULL DEFAULT '[]'::jsonb;  -- [{name, originals, copies}]

-- The field (lĩnh vực) a procedure is reported under when it is not its service's name (province catalogues),
-- where the citizen submits it, and the province system's code of the procedure (mã thủ tục).
ALTER TABLE procedures ADD COLUMN IF NOT EXISTS field text;
ALTER TABLE procedures ADD COLUMN IF NOT EXISTS submit_at text;
ALTER TABLE procedures ADD COLUMN IF NOT EXISTS code text;

-- Search folding: lower case, no tone or vowel marks, đ → d ("Đăng ký" and "dang ky" meet). The hub folds the
-- query the same way (server/figures/fold.ts). Needs no extension (unaccent needs a superuser to install).
CREATE FUNCTION hallhub_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN translate(regexp_replace(normalize(lower(t), NFD), '[\u0300-\u036f]', '', 'g'), 'đ', 'd');

ALTER TABLE procedures ADD COLUMN search_key text GENERATED ALWAYS AS (hallhub_fold(name || ' ' || coalesce(code, ''))) STORED;
CREATE INDEX procedures_hall_active_idx ON procedures (hall_id, active);

-- One row per dossier: what its timeline means for the figures, computed by the hub (server/figures/standing.ts)
-- from dossier_events with the hall's working-day calendar, so a report reads 1 row per dossier instead of its events.
CREATE TABLE dossier_figures (
  dossier_id     bigint PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
  hall_id        integer NOT NULL REFERENCES halls(id),
  procedure_id   integer NOT NULL REFERENCES procedures(id),
  channel        text NOT NULL,
  received_day   date NOT NULL,
  -- not accepted at reception (không được tiếp nhận): outside every figure
  refused        boolean NOT NULL,
  -- the due day once every supplement wait that has ended is added (an extension does not move it: late stays late)
  due_day        date NOT NULL,
  -- the first day the result was ready (đã có kết quả), and the day it was withdrawn or stopped
  result_day     date,
  stop_day       date,
  supplements    smallint NOT NULL,
  -- the last day a supplement wait ended (the due moved that day), and an open wait's first day
  moved_day      date,
  paused_since   date,
  -- working days from receipt to the result, supplement waits excluded
  work_days      integer
);
-- Open from the day of receipt until (not including) the day of its result or stop: "in progress at the end of
-- day E" is `open_days @> E`, which the GiST index answers without reading the dossiers that were finished by then.
ALTER TABLE dossier_figures ADD COLUMN open_days daterange GENERATED ALWAYS AS
  (daterange(received_day, greatest(received_day, coalesce(least(result_day, stop_day), 'infinity'::date)), '[)')) STORED;
CREATE INDEX dossier_figures_open_idx ON dossier_figures USING gist (open_days)
  INCLUDE (hall_id, procedure_id, dossier_id, due_day, supplements, moved_day, paused_since) WHERE NOT refused;

-- Per hall, procedure and day: what the figures rows add up to on that day (received on it, resolved on it by
-- timeliness, stopped on it). Kept by the hub in the transaction that writes the figures rows (old row out, new in),
-- so a year's report adds up at most 366 × procedures rows.
CREATE TABLE dossier_figures_daily (
  hall_id       integer NOT NULL REFERENCES halls(id),
  day           date NOT NULL,
  procedure_id  integer NOT NULL REFERENCES procedures(id),
  online        integer NOT NULL DEFAULT 0,
  in_person     integer NOT NULL DEFAULT 0,
  early         integer NOT NULL DEFAULT 0,
  on_time       integer NOT NULL DEFAULT 0,
  late          integer NOT NULL DEFAULT 0,
  -- resolved early or on time with at most one supplement request (indicator 2.1)
  resolved_ok   integer NOT NULL DEFAULT 0,
  work_days     integer NOT NULL DEFAULT 0,
  stopped       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (hall_id, day, procedure_id)
);

-- Dossiers whose figures row must be computed again: marked in the same transaction as the change.
CREATE TABLE dossier_figures_stale (
  dossier_id  bigint PRIMARY KEY,
  hall_id     integer NOT NULL
);

CREATE FUNCTION dossier_figures_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'dossiers' THEN
    INSERT INTO dossier_figures_stale (dossier_id, hall_id) VALUES (NEW.id, NEW.hall_id) ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO dossier_figures_stale (dossier_id, hall_id)
      SELECT d.id, d.hall_id FROM dossiers d WHERE d.id = NEW.dossier_id ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER dossiers_figures_mark AFTER INSERT OR UPDATE ON dossiers FOR EACH ROW EXECUTE FUNCTION dossier_figures_mark();
CREATE TRIGGER dossier_events_figures_mark AFTER INSERT OR UPDATE ON dossier_events FOR EACH ROW EXECUTE FUNCTION dossier_figures_mark();

-- A change of the calendar moves due days and working-day counts: the dossiers it can touch are computed again.
CREATE FUNCTION dossier_figures_mark_hall() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  h integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.hall_id ELSE NEW.hall_id END;
  d date := CASE WHEN TG_OP = 'INSERT' THEN NEW.day WHEN TG_OP = 'DELETE' THEN OLD.day ELSE least(OLD.day, NEW.day) END;
BEGIN
  INSERT INTO dossier_figures_stale (dossier_id, hall_id)
    SELECT f.dossier_id, f.hall_id FROM dossier_figures f
     WHERE f.hall_id = h AND f.received_day <= d
       AND ((f.result_day IS NULL AND f.stop_day IS NULL) OR greatest(f.due_day, coalesce(f.result_day, f.stop_day)) >= d)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER holidays_figures_mark AFTER INSERT OR UPDATE OR DELETE ON holidays FOR EACH ROW EXECUTE FUNCTION dossier_figures_mark_hall();
