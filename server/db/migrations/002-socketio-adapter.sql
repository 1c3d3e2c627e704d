-- The @socket.io/postgres-adapter table: events too large for NOTIFY go through it between hub processes.
CREATE TABLE IF NOT EXISTS socket_io_attachments (
  id          bigserial UNIQUE,
  created_at  timestamptz DEFAULT now(),
  payload     bytea
);
