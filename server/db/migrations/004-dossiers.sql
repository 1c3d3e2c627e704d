-- Dossiers: the procedure catalogue, dossiers and their timeline, the working-day calendar,
-- outside systems' keys, idempotent requests, the outbox of webhooks and notifications, the lookup limiter.

CREATE TABLE procedures (
  id               serial PRIMARY KEY,
  hall_id          integer NOT NULL REFERENCES halls(id),
  department_id    integer REFERENCES departments(id),
  service_id       integer REFERENCES services(id),
  name             text NOT NULL,
  name_en          text,
  processing_days  integer NOT NULL CHECK (processing_days BETWEEN 0 AND 365),
  fee              bigint NOT NULL DEFAULT 0 CHECK (fee >= 0),
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX procedures_hall_name_unique ON procedures (hall_id, lower(name));

-- Working-day calendar: days off, and weekend days worked in exchange (ngày làm bù).
CREATE TABLE holidays (
  id       serial PRIMARY KEY,
  hall_id  integer NOT NULL REFERENCES halls(id),
  day      date NOT NULL,
  name     text NOT NULL,
  kind     text NOT NULL DEFAULT 'holiday' CHECK (kind IN ('holiday', 'workday')),
  UNIQUE (hall_id, day)
);

-- Keys of outside systems (the province's one-stop system): only the hash of the key is kept.
CREATE TABLE integration_keys (
  id              serial PRIMARY KEY,
  hall_id         integer NOT NULL REFERENCES halls(id),
  name            text NOT NULL,
  key_hash        text NOT NULL UNIQUE,
  key_prefix      text NOT NULL,
  webhook_url     text,
  webhook_secret  text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz
);

-- One row per (hall, day): the daily sequence of dossier codes, incremented in the receiving transaction.
CREATE TABLE dossier_sequences (
  hall_id   integer NOT NULL REFERENCES halls(id),
  day       date NOT NULL,
  last_seq  integer NOT NULL,
  PRIMARY KEY (hall_id, day)
);

CREATE TABLE dossiers (
  id                  bigserial PRIMARY KEY,
  hall_id             integer NOT NULL REFERENCES halls(id),
  code                text NOT NULL UNIQUE,
  day                 date NOT NULL,
  seq                 integer NOT NULL,
  procedure_id        integer NOT NULL REFERENCES procedures(id),
  processing_days     integer NOT NULL,
  applicant_name      text NOT NULL,
  applicant_phone     text,
  applicant_email     text,
  status              text NOT NULL CHECK (status IN ('received', 'rejected', 'processing', 'supplement_required', 'payment_required',
                                                      'withdrawn', 'suspended', 'result_ready', 'returned')),
  received_at         timestamptz NOT NULL DEFAULT now(),
  due_day             date NOT NULL,
  due_at              timestamptz NOT NULL,
  result_at           timestamptz,
  closed_at           timestamptz,
  counter_id          integer REFERENCES counters(id),
  staff_id            integer REFERENCES users(id),
  ticket_id           bigint REFERENCES tickets(id),
  integration_key_id  integer REFERENCES integration_keys(id),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hall_id, day, seq)
);
CREATE INDEX dossiers_hall_day_idx ON dossiers (hall_id, day, counter_id);

CREATE TABLE dossier_events (
  id                  bigserial PRIMARY KEY,
  dossier_id          bigint NOT NULL REFERENCES dossiers(id),
  kind                text NOT NULL DEFAULT 'status' CHECK (kind IN ('status', 'notification')),
  status              text NOT NULL,
  from_status         text,
  note                text,
  at                  timestamptz NOT NULL DEFAULT now(),
  staff_id            integer REFERENCES users(id),
  counter_id          integer REFERENCES counters(id),
  integration_key_id  integer REFERENCES integration_keys(id),
  event_id            text
);
CREATE INDEX dossier_events_dossier_idx ON dossier_events (dossier_id, id);

-- Idempotent requests: the caller's eventId per caller (an integration key or a staff member), with the answer given.
CREATE TABLE dossier_requests (
  scope         text NOT NULL,
  event_id      text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer,
  response      jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, event_id)
);

-- Outbox: webhooks to outside systems and notices to applicants, written in the transaction of the change,
-- delivered by a worker (claimed with FOR UPDATE SKIP LOCKED and a lease), retried with backoff.
CREATE TABLE dossier_outbox (
  id                  bigserial PRIMARY KEY,
  hall_id             integer NOT NULL REFERENCES halls(id),
  dossier_id          bigint NOT NULL REFERENCES dossiers(id),
  trigger_event_id    bigint NOT NULL REFERENCES dossier_events(id),
  channel             text NOT NULL CHECK (channel IN ('webhook', 'email', 'sms')),
  integration_key_id  integer REFERENCES integration_keys(id),
  target              text NOT NULL,
  payload             jsonb NOT NULL,
  state               text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent')),
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz NOT NULL DEFAULT now(),
  lease_until         timestamptz,
  last_error          text,
  sent_at             timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (trigger_event_id, channel, target)
);
CREATE INDEX dossier_outbox_due_idx ON dossier_outbox (next_attempt_at, id) WHERE state <> 'sent';

-- Public lookup limiter (per IP or lookup device): lookups per minute, unknown codes per hour. Loss on a crash is harmless.
CREATE UNLOGGED TABLE lookup_limits (
  subject  text NOT NULL,
  bucket   timestamptz NOT NULL,
  hits     integer NOT NULL DEFAULT 0,
  misses   integer NOT NULL DEFAULT 0,
  PRIMARY KEY (subject, bucket)
);
