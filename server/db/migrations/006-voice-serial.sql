-- Voice, serial devices and device health.

-- The announcement route finds a ticket's n-th call.
CREATE INDEX IF NOT EXISTS calls_ticket_idx ON calls (ticket_id, id);

-- Health of each hub process's own drivers (voice engine, LED displays, keypads), per hall they serve.
CREATE TABLE hardware_health (
  node            text NOT NULL,
  driver          text NOT NULL,
  hall_id         integer NOT NULL REFERENCES halls(id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('voice', 'led', 'keypad')),
  path            text,
  counter_number  integer,
  online          boolean NOT NULL,
  faults          jsonb NOT NULL DEFAULT '[]'::jsonb,     -- [{code, message, since}]
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (hall_id, node, driver)
);

-- What the live board was last told about each device: the sweep that reports a change updates it, so
-- with several hub processes each change is reported once.
CREATE TABLE device_health_reports (
  device_id    integer PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  online       boolean NOT NULL,
  faults       jsonb NOT NULL,
  reported_at  timestamptz NOT NULL DEFAULT now()
);
