-- Failed logins, for the login rate limit (shared by every hub process).
CREATE TABLE login_failures (
  id        bigserial PRIMARY KEY,
  username  text NOT NULL,
  ip        text NOT NULL,
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_username_idx ON login_failures (username, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

-- Every state change made through the API: who, what, when, from where.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  hall_id     integer REFERENCES halls(id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor_type  text NOT NULL CHECK (actor_type IN ('user', 'device', 'integration', 'anonymous')),
  actor_id    integer,
  actor_name  text,
  action      text NOT NULL,
  target      text,
  status      integer NOT NULL,
  ip          text
);
CREATE INDEX audit_log_hall_at_idx ON audit_log (hall_id, at DESC);
