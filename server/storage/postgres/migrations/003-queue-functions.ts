// A send and an ack, each one call to the database instead of five to ten statements in a
// transaction. A node spends most of its time on the round trips, not in PostgreSQL: each
// statement is a system call and a reply to parse (about 30 per delivered message before this
// step). The functions do what PgQueueStore did statement by statement, in the same order, with
// the same locks (queue-locks.ts explains them); one function call is one transaction.
import type { PgMigration } from './postgres-migrations.js';

const LOCK_QUEUES = `
CREATE FUNCTION warbler_lock_queues(p_devices text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO queue_totals (device, messages, bytes)
  SELECT d, 0, 0 FROM (SELECT DISTINCT d FROM unnest(p_devices) AS d) AS u ORDER BY d COLLATE "C"
  ON CONFLICT (device) DO UPDATE SET messages = queue_totals.messages
$$;`;

/**
 * A message's copies, one per device, stored where they fit. Answers the first send's time for a
 * repeated send id; the people none of whose devices had room (the send is then not stored and its
 * id is released for a retry); or which copies fitted, and their seqs in the order given.
 */
const STORE_MESSAGE = `
CREATE FUNCTION warbler_store_message(
  p_from_device text, p_message_id text, p_from_username text, p_server_time bigint,
  p_devices text[], p_owners text[], p_sealed text[], p_max_messages integer, p_max_bytes bigint,
  OUT duplicate_time bigint, OUT full_owners text[], OUT fits boolean[], OUT seqs bigint[]
) LANGUAGE plpgsql AS $$
DECLARE
  claimed integer := 0;
BEGIN
  -- A retry arriving on another node while the first is being stored waits here for it to commit;
  -- again if the first send's row was pruned in between (it then is no repeat).
  FOR attempt IN 1..3 LOOP
    INSERT INTO sent (from_device, message_id, server_time) VALUES (p_from_device, p_message_id, p_server_time) ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS claimed = ROW_COUNT;
    EXIT WHEN claimed = 1;
    SELECT s.server_time INTO duplicate_time FROM sent AS s WHERE s.from_device = p_from_device AND s.message_id = p_message_id;
    IF FOUND THEN RETURN; END IF;
  END LOOP;
  IF claimed = 0 THEN RAISE EXCEPTION 'the send id % was neither new nor found', p_message_id; END IF;

  PERFORM warbler_lock_queues(p_devices);
  SELECT coalesce(array_agg(t.messages + 1 <= p_max_messages AND t.bytes + char_length(c.sealed) <= p_max_bytes ORDER BY c.ord), '{}')
    INTO fits
    FROM unnest(p_devices, p_sealed) WITH ORDINALITY AS c(device, sealed, ord) JOIN queue_totals AS t ON t.device = c.device;

  -- Each device is told what did not fit in its queue, whether or not the rest was stored.
  INSERT INTO refused (device, count)
  SELECT c.device, count(*) FROM unnest(p_devices, fits) AS c(device, fit) WHERE NOT c.fit GROUP BY c.device
  ON CONFLICT (device) DO UPDATE SET count = refused.count + excluded.count;

  SELECT array_agg(c.owner ORDER BY c.first) INTO full_owners
    FROM (SELECT o.owner, min(o.ord) AS first FROM unnest(p_owners) WITH ORDINALITY AS o(owner, ord) GROUP BY o.owner) AS c
    WHERE c.owner <> p_from_username
      AND NOT EXISTS (SELECT 1 FROM unnest(p_owners, fits) AS r(owner, fit) WHERE r.owner = c.owner AND r.fit);
  IF full_owners IS NOT NULL THEN
    DELETE FROM sent AS s WHERE s.from_device = p_from_device AND s.message_id = p_message_id;
    RETURN;
  END IF;

  WITH added AS (
    INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed)
    SELECT c.device, 'message', p_message_id, p_from_username, p_from_device, p_server_time, c.sealed
      FROM unnest(p_devices, p_sealed, fits) WITH ORDINALITY AS c(device, sealed, fit, ord) WHERE c.fit ORDER BY c.ord
    RETURNING seq, device, sealed
  ), counted AS (
    UPDATE queue_totals AS t SET messages = t.messages + a.n, bytes = t.bytes + a.bytes
      FROM (SELECT device, count(*) AS n, sum(char_length(sealed)) AS bytes FROM added GROUP BY device) AS a
      WHERE t.device = a.device
  )
  SELECT coalesce(array_agg(seq ORDER BY seq), '{}') INTO seqs FROM added;
END
$$;`;

/**
 * Envelopes acked by their device: deleted, and a delivery receipt queued for each device of each
 * message's sender (not for the device's own account, nor where the reader hides its presence or
 * asked for none). Answers how many were deleted and the receipts, in order, with their seqs.
 */
const ACK = `
CREATE FUNCTION warbler_ack(
  p_device text, p_seqs bigint[], p_now bigint, p_no_receipt bigint[],
  OUT removed integer, OUT receipt_from text, OUT receipt_devices text[], OUT receipt_message_ids text[], OUT receipt_seqs bigint[]
) LANGUAGE plpgsql AS $$
DECLARE
  v_owner text;
  v_senders text[];
  v_hidden boolean := false;
  v_locked text[];
BEGIN
  SELECT d.username INTO v_owner FROM devices AS d WHERE d.identity_key = p_device;
  -- Who will be sent receipts decides which queues to lock, and all are locked at once, before
  -- anything changes: so this looks before it deletes.
  SELECT array_agg(DISTINCT e.from_username) INTO v_senders FROM envelopes AS e
    WHERE e.device = p_device AND e.seq = ANY(p_seqs) AND v_owner IS NOT NULL AND e.kind = 'message'
      AND e.from_username <> v_owner AND NOT (e.seq = ANY(p_no_receipt));
  IF v_senders IS NOT NULL THEN
    v_hidden := EXISTS (SELECT 1 FROM hidden AS h WHERE h.username = v_owner);
  END IF;
  v_locked := ARRAY[p_device];
  IF v_senders IS NOT NULL AND NOT v_hidden THEN
    v_locked := v_locked || ARRAY(SELECT d.identity_key FROM devices AS d WHERE d.username = ANY(v_senders));
  END IF;
  PERFORM warbler_lock_queues(v_locked);
  receipt_from := v_owner;

  -- Devices are read again now that the queues are held: one unlinked meanwhile gets nothing, one
  -- linked meanwhile (not locked) neither.
  WITH gone AS (
    DELETE FROM envelopes AS e WHERE e.device = p_device AND e.seq = ANY(p_seqs)
    RETURNING e.seq, e.kind, e.message_id, e.from_username, e.sealed
  ), counted AS (
    UPDATE queue_totals AS t SET messages = t.messages - c.n, bytes = t.bytes - c.bytes
      FROM (SELECT count(*) AS n, coalesce(sum(char_length(sealed)), 0) AS bytes FROM gone WHERE kind = 'message') AS c
      WHERE t.device = p_device
  ), wanted AS (
    SELECT w.seq, min(w.ord) AS ord FROM unnest(p_seqs) WITH ORDINALITY AS w(seq, ord) GROUP BY w.seq
  ), receipts AS (
    SELECT d.identity_key AS device, g.message_id,
           row_number() OVER (ORDER BY w.ord, d.created_at, d.identity_key) AS ord
      FROM wanted AS w JOIN gone AS g ON g.seq = w.seq JOIN devices AS d ON d.username = g.from_username
      WHERE NOT v_hidden AND v_owner IS NOT NULL AND g.kind = 'message' AND g.from_username <> v_owner
        AND NOT (g.seq = ANY(p_no_receipt)) AND d.identity_key = ANY(v_locked)
  ), added AS (
    INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed)
    SELECT r.device, 'delivered', r.message_id, v_owner, p_device, p_now, NULL FROM receipts AS r ORDER BY r.ord
    RETURNING seq
  )
  SELECT (SELECT count(*) FROM gone),
         coalesce((SELECT array_agg(r.device ORDER BY r.ord) FROM receipts AS r), '{}'),
         coalesce((SELECT array_agg(r.message_id ORDER BY r.ord) FROM receipts AS r), '{}'),
         coalesce((SELECT array_agg(a.seq ORDER BY a.seq) FROM added AS a), '{}')
    INTO removed, receipt_devices, receipt_message_ids, receipt_seqs;
END
$$;`;

export const queueFunctions: PgMigration = {
  version: 3,
  name: 'queue functions',
  async up(client) {
    for (const sql of [LOCK_QUEUES, STORE_MESSAGE, ACK]) await client.query(sql);
  },
};
