-- Each kiosk's ticket pace: a token bucket (hall setting kioskTicketsPerMinute) shared by every hub process.
CREATE TABLE kiosk_pace (
  device_id   integer PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
  tokens      double precision NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- The last ticket refused for pace (null: none since the alarm was cleared).
  refused_at  timestamptz
);

-- devices.faults entries written by the hub itself carry "by" (printing, pace). A heartbeat replaces the faults
-- the device reports; the hub's own entries are kept through it, except by the writer named in
-- hallhub.faults_writer, which replaces its own.
CREATE OR REPLACE FUNCTION devices_keep_printing_faults() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  writer text := coalesce(current_setting('hallhub.faults_writer', true), '');
  kept jsonb;
BEGIN
  IF NEW.faults IS NOT DISTINCT FROM OLD.faults THEN
    RETURN NEW;
  END IF;
  kept := coalesce((SELECT jsonb_agg(f) FROM jsonb_array_elements(OLD.faults) f
                     WHERE coalesce(f->>'by', '') <> '' AND f->>'by' <> writer), '[]'::jsonb);
  NEW.faults := coalesce((
      SELECT jsonb_agg(f) FROM jsonb_array_elements(NEW.faults) f
       WHERE coalesce(f->>'by', '') IN ('', writer)
         AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(kept) k WHERE k->>'code' = f->>'code')
    ), '[]'::jsonb) || kept;
  RETURN NEW;
END $$;

CREATE INDEX login_failures_pair_idx ON login_failures (username, ip, at);
