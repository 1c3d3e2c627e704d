-- Dossiers under Nghị định 118/2025/NĐ-CP and Thông tư 03/2025/TT-VPCP: the applicant's identity and address,
-- the submission channel and the return method, the papers ticked at reception, the procedure's cut-off time and
-- processing time in working hours, the clock stopped while a supplement is awaited, extensions with the original
-- due date kept, the lookup key printed on the receipt, notes for the citizen, hand-overs between departments,
-- the version of the form templates in force at receipt, provisional days of the holiday calendar.

-- Shared with the reports (they add the same with IF NOT EXISTS).
ALTER TABLE dossiers ADD COLUMN IF NOT EXISTS channel text NOT NULL DEFAULT 'in_person' CHECK (channel IN ('in_person','online','postal'));
ALTER TABLE procedures ADD COLUMN IF NOT EXISTS papers jsonb NOT NULL DEFAULT '[]'::jsonb;  -- [{name, originals, copies}]

ALTER TABLE procedures
  ADD COLUMN cutoff_time text CHECK (cutoff_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  ADD COLUMN processing_hours integer CHECK (processing_hours BETWEEN 1 AND 2000);

ALTER TABLE dossiers
  ADD COLUMN applicant_id_number   text CHECK (applicant_id_number ~ '^[0-9]{12}$'),
  ADD COLUMN applicant_birth_date  date,
  ADD COLUMN applicant_address     text,
  ADD COLUMN return_method         text NOT NULL DEFAULT 'at_hall' CHECK (return_method IN ('at_hall', 'postal')),
  ADD COLUMN return_address        text,
  ADD COLUMN papers                jsonb NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN sets                  integer NOT NULL DEFAULT 1 CHECK (sets BETWEEN 1 AND 100),
  ADD COLUMN fee                   bigint NOT NULL DEFAULT 0 CHECK (fee >= 0),
  ADD COLUMN processing_hours      integer,
  ADD COLUMN original_due_at       timestamptz,
  ADD COLUMN paused_at             timestamptz,
  ADD COLUMN supplement_rounds     integer NOT NULL DEFAULT 0,
  ADD COLUMN lookup_key            text,
  ADD COLUMN form_version          text NOT NULL DEFAULT 'TT03-2025.1',
  -- What the receipt printed (procedure name, hall, staff, place): forms re-printed later show the same.
  ADD COLUMN snapshot              jsonb NOT NULL DEFAULT '{}'::jsonb;
UPDATE dossiers SET original_due_at = due_at WHERE original_due_at IS NULL;
ALTER TABLE dossiers ALTER COLUMN original_due_at SET NOT NULL;

-- 'extended' rows (an apology with a new due date) keep the dossier's status; for_citizen notes show on the public lookup.
ALTER TABLE dossier_events
  ADD COLUMN for_citizen  boolean NOT NULL DEFAULT false,
  ADD COLUMN reason       text,
  ADD COLUMN papers       jsonb,
  ADD COLUMN old_due_at   timestamptz,
  ADD COLUMN new_due_at   timestamptz;
ALTER TABLE dossier_events ADD CONSTRAINT dossier_events_status_check CHECK (status IN (
  'received', 'rejected', 'processing', 'supplement_required', 'payment_required', 'withdrawn', 'suspended', 'result_ready', 'returned', 'extended'));

-- Hand-overs between departments (chuyển xử lý): the rows of the processing control sheet (Mẫu 06).
CREATE TABLE dossier_handovers (
  id              bigserial PRIMARY KEY,
  dossier_id      bigint NOT NULL REFERENCES dossiers(id),
  from_unit       text NOT NULL,
  to_unit         text NOT NULL,
  staff_id        integer REFERENCES users(id),
  at              timestamptz NOT NULL DEFAULT now(),
  deadline_at     timestamptz,
  outcome         text,
  done_at         timestamptz
);
CREATE INDEX dossier_handovers_dossier_idx ON dossier_handovers (dossier_id, id);
CREATE INDEX dossiers_hall_received_idx ON dossiers (hall_id, received_at);

ALTER TABLE holidays ADD COLUMN provisional boolean NOT NULL DEFAULT false;

-- Ngày Văn hóa Việt Nam (24/11) is a paid public holiday from 2026: halls that loaded the calendar of a year get it.
INSERT INTO holidays (hall_id, day, name, kind)
SELECT DISTINCT hall_id, make_date(y, 11, 24), 'Ngày Văn hóa Việt Nam', 'holiday'
  FROM holidays CROSS JOIN LATERAL (SELECT extract(year FROM day)::int AS y) yr
 WHERE y IN (2026, 2027)
ON CONFLICT (hall_id, day) DO NOTHING;
UPDATE holidays SET provisional = true WHERE day IN ('2027-02-10', '2027-02-11', '2027-09-03');
