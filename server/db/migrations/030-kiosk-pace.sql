-- Each kiosk's ticket pace: a token bucket (hall setting kioskTicketsPerMinute) shared by every hub process.
CREATE TABLE kiosk_pace (
  device_id   integer PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  tokens      double precision NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- The last ticket refused for pace (null: none since the alarm was cleared).
  refused_at  timestamptz
);

CREATE INDEX login_failures_pair_idx ON login_failures (username, ip, at);
