-- Ratings, published rankings and the managers' live board.

-- The staff member's photo shown on the counter's rating tablet (initials when none).
ALTER TABLE users ADD COLUMN IF NOT EXISTS photo_url text;

-- SLA target per service: the board raises an alert when someone has waited longer than this.
ALTER TABLE services ADD COLUMN IF NOT EXISTS max_wait_minutes integer CHECK (max_wait_minutes IS NULL OR max_wait_minutes BETWEEN 1 AND 1440);

-- One citizen's verdict on one served ticket. Who served it (counter, staff, service) and the ticket's
-- hall day are copied from the ticket when the rating is recorded, so rankings never join tickets.
CREATE TABLE ratings (
  id             bigserial PRIMARY KEY,
  hall_id        integer NOT NULL REFERENCES halls(id),
  ticket_id      bigint NOT NULL REFERENCES tickets(id),
  day            date NOT NULL,
  counter_id     integer NOT NULL REFERENCES counters(id),
  staff_id       integer NOT NULL REFERENCES users(id),
  service_id     integer NOT NULL REFERENCES services(id),
  device_id      integer REFERENCES devices(id),
  level          smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  reasons        text[] NOT NULL DEFAULT '{}',
  comment        text,
  -- The tablet's idempotency id: a repeat of the same id returns the original answer.
  client_id      text,
  rated_at       timestamptz NOT NULL DEFAULT now(),
  created_at     timestamptz NOT NULL DEFAULT now()
);
-- One rating per ticket.
CREATE UNIQUE INDEX ratings_ticket_unique ON ratings (ticket_id);
CREATE UNIQUE INDEX ratings_client_unique ON ratings (hall_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX ratings_hall_day_idx ON ratings (hall_id, day);

-- Daily rollup of served tickets and ratings per (counter, staff member, service): rankings and
-- satisfaction over any period read at most one row per combination and day, never the raw rows.
-- Kept exact by the triggers below (with the monthly one), in the same transaction as the ticket or
-- rating that changes it.
CREATE TABLE satisfaction_daily (
  hall_id     integer NOT NULL REFERENCES halls(id),
  day         date NOT NULL,
  counter_id  integer NOT NULL REFERENCES counters(id),
  staff_id    integer NOT NULL REFERENCES users(id),
  service_id  integer NOT NULL REFERENCES services(id),
  served      integer NOT NULL DEFAULT 0,
  rated       integer NOT NULL DEFAULT 0,
  level_sum   integer NOT NULL DEFAULT 0,
  n1          integer NOT NULL DEFAULT 0,
  n2          integer NOT NULL DEFAULT 0,
  n3          integer NOT NULL DEFAULT 0,
  n4          integer NOT NULL DEFAULT 0,
  PRIMARY KEY (hall_id, day, counter_id, staff_id, service_id)
);

-- The same per month (month = its first day): a year is then 12 rows per combination, and a range reads
-- whole months here and only its partial months from the daily table.
CREATE TABLE satisfaction_monthly (
  hall_id     integer NOT NULL REFERENCES halls(id),
  month       date NOT NULL CHECK (extract(day FROM month) = 1),
  counter_id  integer NOT NULL REFERENCES counters(id),
  staff_id    integer NOT NULL REFERENCES users(id),
  service_id  integer NOT NULL REFERENCES services(id),
  served      integer NOT NULL DEFAULT 0,
  rated       integer NOT NULL DEFAULT 0,
  level_sum   integer NOT NULL DEFAULT 0,
  n1          integer NOT NULL DEFAULT 0,
  n2          integer NOT NULL DEFAULT 0,
  n3          integer NOT NULL DEFAULT 0,
  n4          integer NOT NULL DEFAULT 0,
  PRIMARY KEY (hall_id, month, counter_id, staff_id, service_id)
);

CREATE FUNCTION satisfaction_daily_served() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO satisfaction_daily (hall_id, day, counter_id, staff_id, service_id, served)
  VALUES (NEW.hall_id, NEW.day, NEW.counter_id, NEW.staff_id, NEW.service_id, 1)
  ON CONFLICT (hall_id, day, counter_id, staff_id, service_id) DO UPDATE SET served = satisfaction_daily.served + 1;
  INSERT INTO satisfaction_monthly (hall_id, month, counter_id, staff_id, service_id, served)
  VALUES (NEW.hall_id, date_trunc('month', NEW.day)::date, NEW.counter_id, NEW.staff_id, NEW.service_id, 1)
  ON CONFLICT (hall_id, month, counter_id, staff_id, service_id) DO UPDATE SET served = satisfaction_monthly.served + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER tickets_served_rollup AFTER UPDATE OF status ON tickets
  FOR EACH ROW WHEN (NEW.status = 'done' AND OLD.status IS DISTINCT FROM 'done' AND NEW.counter_id IS NOT NULL AND NEW.staff_id IS NOT NULL)
  EXECUTE FUNCTION satisfaction_daily_served();
CREATE TRIGGER tickets_served_rollup_insert AFTER INSERT ON tickets
  FOR EACH ROW WHEN (NEW.status = 'done' AND NEW.counter_id IS NOT NULL AND NEW.staff_id IS NOT NULL)
  EXECUTE FUNCTION satisfaction_daily_served();

CREATE FUNCTION satisfaction_daily_rated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO satisfaction_daily (hall_id, day, counter_id, staff_id, service_id, rated, level_sum, n1, n2, n3, n4)
  VALUES (NEW.hall_id, NEW.day, NEW.counter_id, NEW.staff_id, NEW.service_id, 1, NEW.level,
          (NEW.level = 1)::int, (NEW.level = 2)::int, (NEW.level = 3)::int, (NEW.level = 4)::int)
  ON CONFLICT (hall_id, day, counter_id, staff_id, service_id) DO UPDATE SET
    rated = satisfaction_daily.rated + 1,
    level_sum = satisfaction_daily.level_sum + NEW.level,
    n1 = satisfaction_daily.n1 + (NEW.level = 1)::int,
    n2 = satisfaction_daily.n2 + (NEW.level = 2)::int,
    n3 = satisfaction_daily.n3 + (NEW.level = 3)::int,
    n4 = satisfaction_daily.n4 + (NEW.level = 4)::int;
  INSERT INTO satisfaction_monthly (hall_id, month, counter_id, staff_id, service_id, rated, level_sum, n1, n2, n3, n4)
  VALUES (NEW.hall_id, date_trunc('month', NEW.day)::date, NEW.counter_id, NEW.staff_id, NEW.service_id, 1, NEW.level,
          (NEW.level = 1)::int, (NEW.level = 2)::int, (NEW.level = 3)::int, (NEW.level = 4)::int)
  ON CONFLICT (hall_id, month, counter_id, staff_id, service_id) DO UPDATE SET
    rated = satisfaction_monthly.rated + 1,
    level_sum = satisfaction_monthly.level_sum + NEW.level,
    n1 = satisfaction_monthly.n1 + (NEW.level = 1)::int,
    n2 = satisfaction_monthly.n2 + (NEW.level = 2)::int,
    n3 = satisfaction_monthly.n3 + (NEW.level = 3)::int,
    n4 = satisfaction_monthly.n4 + (NEW.level = 4)::int;
  RETURN NULL;
END $$;

CREATE TRIGGER ratings_rollup AFTER INSERT ON ratings FOR EACH ROW EXECUTE FUNCTION satisfaction_daily_rated();

-- Tickets served before this migration.
INSERT INTO satisfaction_daily (hall_id, day, counter_id, staff_id, service_id, served)
SELECT hall_id, day, counter_id, staff_id, service_id, count(*)
  FROM tickets WHERE status = 'done' AND counter_id IS NOT NULL AND staff_id IS NOT NULL
 GROUP BY hall_id, day, counter_id, staff_id, service_id;
INSERT INTO satisfaction_monthly (hall_id, month, counter_id, staff_id, service_id, served)
SELECT hall_id, date_trunc('month', day)::date, counter_id, staff_id, service_id, sum(served)
  FROM satisfaction_daily GROUP BY 1, 2, 3, 4, 5;

-- Board and reports: today's tickets of a hall by status and the times they pass through.
CREATE INDEX IF NOT EXISTS tickets_counter_finished_idx ON tickets (counter_id, finished_at DESC) WHERE status = 'done';
