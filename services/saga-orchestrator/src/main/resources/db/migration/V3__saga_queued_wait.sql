-- ADR 8: a step whose command or reply is still queued waits, without a resend, up to
-- shopflow.saga.max-queued-wait from when it was entered; extensions counts those waits.
ALTER TABLE saga ADD COLUMN step_started_at TIMESTAMPTZ;
ALTER TABLE saga ADD COLUMN extensions INT NOT NULL DEFAULT 0;
-- Sagas in flight during the upgrade count their queued wait from their start: a shorter wait, never a longer one.
UPDATE saga SET step_started_at = started_at;
ALTER TABLE saga ALTER COLUMN step_started_at SET NOT NULL;
