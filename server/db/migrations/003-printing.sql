-- Printing: every ticket and receipt print is a recorded job, so none is silently lost.
CREATE TABLE print_jobs (
  id                bigserial PRIMARY KEY,
  -- The agent's printed-jobs file is keyed by this: unique even across database resets.
  uid               uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  hall_id           integer NOT NULL REFERENCES halls(id),
  -- The device whose printer prints the job (the kiosk, the counter's device, or the agent itself).
  device_id         integer REFERENCES devices(id),
  -- The agent that delivers it; null when the hub prints itself.
  agent_id          integer REFERENCES devices(id),
  -- The device that asked (the issuing kiosk): it gets `print:status`.
  source_device_id  integer REFERENCES devices(id),
  kind              text NOT NULL CHECK (kind IN ('ticket', 'receipt')),
  -- The ticket id or the dossier code.
  ref               text NOT NULL,
  ticket_id         bigint REFERENCES tickets(id),
  counter_id        integer REFERENCES counters(id),
  printer           text,
  -- What to print (protocol PrintDocument): kept so a re-send or a reprint prints the same thing.
  document          jsonb NOT NULL,
  status            text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'printed', 'failed')),
  -- The printer's state at the outcome (protocol PrintState).
  state             text,
  attempts          integer NOT NULL DEFAULT 0,
  error             text,
  reprint_of        bigint REFERENCES print_jobs(id),
  requested_by      integer REFERENCES users(id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  sent_at           timestamptz,
  printed_at        timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- What an agent still owes (re-sent when it reconnects) and what the expiry sweep looks at.
CREATE INDEX print_jobs_queued_idx ON print_jobs (agent_id, id) WHERE status = 'queued';
CREATE INDEX print_jobs_hall_idx ON print_jobs (hall_id, id DESC);
CREATE INDEX print_jobs_ticket_idx ON print_jobs (ticket_id) WHERE ticket_id IS NOT NULL;

-- Printer faults the hub observes (code printer_*, marked "by": "printing") live in devices.faults next
-- to the faults a device reports in its heartbeats. A heartbeat replaces the device's list; this trigger
-- keeps the printing feature's entries through that, unless the printing feature itself is writing
-- (it sets hallhub.faults_writer = 'printing' in its transaction).
CREATE FUNCTION devices_keep_printing_faults() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kept jsonb;
BEGIN
  IF current_setting('hallhub.faults_writer', true) = 'printing' OR NEW.faults IS NOT DISTINCT FROM OLD.faults THEN
    RETURN NEW;
  END IF;
  kept := coalesce((SELECT jsonb_agg(f) FROM jsonb_array_elements(OLD.faults) f WHERE f->>'by' = 'printing'), '[]'::jsonb);
  NEW.faults := coalesce((
      SELECT jsonb_agg(f) FROM jsonb_array_elements(NEW.faults) f
       WHERE coalesce(f->>'by', '') <> 'printing'
         AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(kept) k WHERE k->>'code' = f->>'code')
    ), '[]'::jsonb) || kept;
  RETURN NEW;
END $$;

CREATE TRIGGER devices_keep_printing_faults BEFORE UPDATE OF faults ON devices
  FOR EACH ROW EXECUTE FUNCTION devices_keep_printing_faults();
