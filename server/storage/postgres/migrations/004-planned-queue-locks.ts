// The queue lock of step 3 in PL/pgSQL rather than SQL. PostgreSQL plans a SQL function that it
// cannot inline (this one writes) again at every call, and the lock runs in every send and every
// ack: planned once per connection, a send costs the database about a fifth less CPU (590 µs of
// a backend's CPU per send before, 487 after, measured one send at a time on this machine).
import type { PgMigration } from './postgres-migrations.js';

const LOCK_QUEUES = `
CREATE OR REPLACE FUNCTION warbler_lock_queues(p_devices text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO queue_totals (device, messages, bytes)
  SELECT d, 0, 0 FROM (SELECT DISTINCT d FROM unnest(p_devices) AS d) AS u ORDER BY d COLLATE "C"
  ON CONFLICT (device) DO UPDATE SET messages = queue_totals.messages;
END
$$;`;

export const plannedQueueLocks: PgMigration = {
  version: 4,
  name: 'planned queue locks',
  async up(client) {
    await client.query(LOCK_QUEUES);
  },
};
