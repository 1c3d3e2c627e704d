-- The hub reports its embedded PostgreSQL as a driver of its own: a restart after a crash is a fault the board shows.
ALTER TABLE hardware_health DROP CONSTRAINT IF EXISTS hardware_health_kind_check;
ALTER TABLE hardware_health ADD CONSTRAINT hardware_health_kind_check CHECK (kind IN ('voice', 'led', 'keypad', 'database'));
