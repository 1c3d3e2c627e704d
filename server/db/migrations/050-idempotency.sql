-- Idempotency-Key of POST /tickets and the counter actions: kept for the hall's day.
-- The row is written in the same transaction as the change it guards; the reply is added once it is sent.
CREATE TABLE idempotency_keys (
  hall_id       integer NOT NULL REFERENCES halls(id),
  day           date NOT NULL,
  key           uuid NOT NULL,
  request_hash  text NOT NULL,
  result_ref    bigint,
  reply_status  integer,
  reply         jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (hall_id, day, key)
);
