-- Halls, people, set-up, devices.
CREATE TABLE halls (
  id          serial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  timezone    text NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
  settings    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id            serial PRIMARY KEY,
  hall_id       integer NOT NULL REFERENCES halls(id),
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  name          text NOT NULL,
  title         text,
  role          text NOT NULL CHECK (role IN ('admin', 'manager', 'staff')),
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE departments (
  id          serial PRIMARY KEY,
  hall_id     integer NOT NULL REFERENCES halls(id),
  name        text NOT NULL,
  name_en     text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE services (
  id                      serial PRIMARY KEY,
  hall_id                 integer NOT NULL REFERENCES halls(id),
  department_id           integer REFERENCES departments(id),
  name                    text NOT NULL,
  name_en                 text,
  prefix                  text NOT NULL DEFAULT '',
  number_start            integer NOT NULL DEFAULT 1,
  number_end              integer NOT NULL DEFAULT 999,
  default_service_seconds integer NOT NULL DEFAULT 300,
  active                  boolean NOT NULL DEFAULT true,
  sort_order              integer NOT NULL DEFAULT 0,
  created_at              timestamptz NOT NULL DEFAULT now(),
  CHECK (number_end >= number_start)
);
CREATE INDEX services_hall_idx ON services (hall_id);

CREATE TABLE counters (
  id              serial PRIMARY KEY,
  hall_id         integer NOT NULL REFERENCES halls(id),
  number          integer NOT NULL,
  name            text NOT NULL,
  status          text NOT NULL DEFAULT 'closed' CHECK (status IN ('closed', 'open', 'paused')),
  staff_id        integer REFERENCES users(id),
  opened_at       timestamptz,
  priority_streak integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hall_id, number)
);
CREATE UNIQUE INDEX counters_one_per_staff ON counters (staff_id) WHERE staff_id IS NOT NULL;

CREATE TABLE counter_services (
  counter_id  integer NOT NULL REFERENCES counters(id) ON DELETE CASCADE,
  service_id  integer NOT NULL REFERENCES services(id),
  PRIMARY KEY (counter_id, service_id)
);

CREATE TABLE devices (
  id            serial PRIMARY KEY,
  hall_id       integer NOT NULL REFERENCES halls(id),
  kind          text NOT NULL CHECK (kind IN ('kiosk', 'lookup', 'display', 'tablet', 'agent')),
  name          text NOT NULL,
  counter_id    integer REFERENCES counters(id),
  printer       text,
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz,
  online_until  timestamptz,
  faults        jsonb NOT NULL DEFAULT '[]'::jsonb,
  revoked_at    timestamptz
);

-- Queue.
CREATE TABLE ticket_sequences (
  service_id  integer NOT NULL REFERENCES services(id),
  day         date NOT NULL,
  last_seq    integer NOT NULL,
  PRIMARY KEY (service_id, day)
);

CREATE TABLE tickets (
  id                   bigserial PRIMARY KEY,
  hall_id              integer NOT NULL REFERENCES halls(id),
  service_id           integer NOT NULL REFERENCES services(id),
  day                  date NOT NULL,
  seq                  integer NOT NULL,
  number               text NOT NULL,
  priority             boolean NOT NULL DEFAULT false,
  status               text NOT NULL DEFAULT 'waiting'
                       CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'transferred', 'cancelled')),
  issued_at            timestamptz NOT NULL DEFAULT now(),
  queued_at            timestamptz NOT NULL DEFAULT now(),
  called_at            timestamptz,
  serving_at           timestamptz,
  finished_at          timestamptz,
  counter_id           integer REFERENCES counters(id),
  staff_id             integer REFERENCES users(id),
  reserved_counter_id  integer REFERENCES counters(id),
  transferred_from     bigint REFERENCES tickets(id),
  call_count           integer NOT NULL DEFAULT 0,
  requeue_count        integer NOT NULL DEFAULT 0,
  device_id            integer REFERENCES devices(id)
);
-- One number per (service, day), whatever the concurrency; a transfer keeps its number in the new service.
CREATE UNIQUE INDEX tickets_number_unique ON tickets (service_id, day, seq) WHERE transferred_from IS NULL;
-- The claim index: matches `WHERE hall_id = $ AND day = $ AND priority = $ AND status = 'waiting' ORDER BY queued_at, id`.
CREATE INDEX tickets_waiting_idx ON tickets (hall_id, day, priority, queued_at, id) WHERE status = 'waiting';
CREATE INDEX tickets_service_day_idx ON tickets (service_id, day);
-- At most one ticket in progress per counter.
CREATE UNIQUE INDEX tickets_in_progress_per_counter ON tickets (counter_id) WHERE status IN ('called', 'serving');
CREATE INDEX tickets_hall_day_idx ON tickets (hall_id, day);

CREATE TABLE calls (
  id          bigserial PRIMARY KEY,
  hall_id     integer NOT NULL REFERENCES halls(id),
  ticket_id   bigint NOT NULL REFERENCES tickets(id),
  counter_id  integer NOT NULL REFERENCES counters(id),
  recall      boolean NOT NULL DEFAULT false,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_hall_at_idx ON calls (hall_id, at DESC);
