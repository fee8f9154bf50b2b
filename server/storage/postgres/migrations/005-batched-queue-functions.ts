// The sends (and the acks) of a moment, several relay calls in one call to the database. Step 3
// made a send one call; a node under load still made four or five calls per delivered message,
// each a write to a socket, a wake-up of a backend and a commit, and spent most of its time on
// them. These take arrays and do, message by message (ack by ack) and in the order given, what
// warbler_store_message and warbler_ack do, in one transaction: each message sees the queue totals
// the ones before it left. Step 3's functions stay for nodes of an earlier release still running.
//
// Locks are taken as in queue-locks.ts, all at once before anything changes: first the send ids
// (sorted), then the queues of the messages whose ids were new (sorted). Every transaction that
// takes both takes them in that order, so two batches wait for each other rather than deadlock;
// the one exception, a send id claimed late (its first send was refused earlier in the batch, or
// pruned meanwhile), locks its queues then, and should that meet another batch's locks the
// other way round, PostgreSQL undoes one of the two and the relay sends its calls again one by
// one (call-batches.ts). Nested arrays must be rectangular in
// PostgreSQL, so each call's part of a flat array is given by its first index and its length.
//
// PostgreSQL cannot know how long the arrays are, and guesses long: it would join a batch to a
// whole table (envelopes, queue_totals: a row per device) by hashing it, and compile the plan to
// machine code (JIT) at every call. A batch is a few hundred rows at most, each found by its key:
// the functions run without JIT and name the keys whole (seq = ANY(every seq of the batch)), so
// that the rows are found through the index whatever the table's statistics say. The send joins
// each message to its queues by nested loops. The ack reads each table once, by the batch's keys,
// and joins those rows by hashing: compared each with each, a batch of 200 acks cost 443 µs of
// the database's CPU per ack, against 68 µs now (73 µs in batches of 50). Each statement is
// planned once per connection (a generic plan): planned at every call, one ack alone cost 688 µs
// of which half was planning (403 µs now).
import type { PgMigration } from './postgres-migrations.js';

/**
 * One row per message, in order: the first send's time for a repeated send id (an earlier one of
 * the same batch counts); the people none of whose devices had room; or which copies fitted, and
 * their seqs in the order given.
 */
const STORE_MESSAGES = `
CREATE FUNCTION warbler_store_messages(
  p_from_devices text[], p_message_ids text[], p_from_usernames text[], p_server_times bigint[],
  p_max_messages integer[], p_max_bytes bigint[], p_first_copies integer[], p_copy_counts integer[],
  p_devices text[], p_owners text[], p_sealed text[]
) RETURNS TABLE (message integer, duplicate_time bigint, full_owners text[], fits boolean[], seqs bigint[])
LANGUAGE plpgsql SET jit = off SET enable_hashjoin = off SET enable_mergejoin = off
  SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_claimed integer[];
  v_claim integer;
  v_last integer;
  v_devices text[];
  v_owners text[];
  v_sealed text[];
  v_all_fit boolean;
BEGIN
  WITH given AS (
    SELECT g.from_device, g.message_id, g.server_time, g.ord::integer AS ord
      FROM unnest(p_from_devices, p_message_ids, p_server_times) WITH ORDINALITY AS g(from_device, message_id, server_time, ord)
  ), firsts AS (
    SELECT DISTINCT ON (g.from_device, g.message_id) g.from_device, g.message_id, g.server_time, g.ord
      FROM given AS g ORDER BY g.from_device, g.message_id, g.ord
  ), claims AS (
    INSERT INTO sent (from_device, message_id, server_time)
    SELECT f.from_device, f.message_id, f.server_time FROM firsts AS f ORDER BY f.from_device COLLATE "C", f.message_id COLLATE "C"
    ON CONFLICT DO NOTHING
    RETURNING sent.from_device, sent.message_id
  )
  SELECT coalesce(array_agg(f.ord), '{}') INTO v_claimed
    FROM firsts AS f JOIN claims AS c ON c.from_device = f.from_device AND c.message_id = f.message_id;

  -- A repeat stores nothing: its queues are not locked.
  PERFORM warbler_lock_queues(ARRAY(
    SELECT p_devices[c.c] FROM unnest(v_claimed) AS m(i)
      CROSS JOIN LATERAL generate_series(p_first_copies[m.i], p_first_copies[m.i] + p_copy_counts[m.i] - 1) AS c(c)));

  -- The usual batch: every send id new, and every queue with room for all its copies of the batch
  -- (so for each one in turn). Stored in one statement, not several per message.
  IF cardinality(v_claimed) = coalesce(array_length(p_message_ids, 1), 0) THEN
    SELECT coalesce(bool_and(t.messages + a.n <= (SELECT min(l) FROM unnest(p_max_messages) AS l)
                             AND t.bytes + a.bytes <= (SELECT min(l) FROM unnest(p_max_bytes) AS l)), true)
      INTO v_all_fit
      FROM (SELECT c.device, count(*) AS n, sum(char_length(c.sealed)) AS bytes FROM unnest(p_devices, p_sealed) AS c(device, sealed) GROUP BY c.device) AS a
      JOIN queue_totals AS t ON t.device = a.device
      WHERE t.device = ANY(p_devices);
    IF v_all_fit THEN
      RETURN QUERY
      WITH copies AS (
        SELECT m.i, c.c FROM generate_subscripts(p_message_ids, 1) AS m(i)
          CROSS JOIN LATERAL generate_series(p_first_copies[m.i], p_first_copies[m.i] + p_copy_counts[m.i] - 1) AS c(c)
      ), added AS (
        INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed)
        SELECT p_devices[x.c], 'message', p_message_ids[x.i], p_from_usernames[x.i], p_from_devices[x.i], p_server_times[x.i], p_sealed[x.c]
          FROM copies AS x ORDER BY x.c
        RETURNING envelopes.seq, envelopes.device, envelopes.from_device, envelopes.message_id, char_length(envelopes.sealed) AS size
      ), counted AS (
        UPDATE queue_totals AS t SET messages = t.messages + a.n, bytes = t.bytes + a.size
          FROM (SELECT added.device, count(*) AS n, sum(added.size) AS size FROM added GROUP BY added.device) AS a
          WHERE t.device = a.device AND t.device = ANY(p_devices)
      ), taken AS (
        SELECT added.from_device, added.message_id, array_agg(added.seq ORDER BY added.seq) AS list
          FROM added GROUP BY added.from_device, added.message_id
      )
      SELECT m.i, NULL::bigint, NULL::text[], array_fill(true, ARRAY[p_copy_counts[m.i]]), coalesce(k.list, '{}')
        FROM generate_subscripts(p_message_ids, 1) AS m(i)
        LEFT JOIN taken AS k ON k.from_device = p_from_devices[m.i] AND k.message_id = p_message_ids[m.i]
        ORDER BY m.i;
      RETURN;
    END IF;
  END IF;

  -- Otherwise message by message, as warbler_store_message would, each seeing what the ones before
  -- it left.
  FOR i IN 1..coalesce(array_length(p_message_ids, 1), 0) LOOP
    message := i;
    duplicate_time := NULL;
    full_owners := NULL;
    fits := NULL;
    seqs := NULL;
    v_claim := CASE WHEN i = ANY(v_claimed) THEN 1 ELSE 0 END;
    -- Not claimed above: a repeat, or the send id of an earlier message of this batch that was
    -- refused, or of one pruned in between; as warbler_store_message, it tries again.
    FOR attempt IN 1..3 LOOP
      EXIT WHEN v_claim = 1;
      SELECT s.server_time INTO duplicate_time FROM sent AS s WHERE s.from_device = p_from_devices[i] AND s.message_id = p_message_ids[i];
      EXIT WHEN FOUND;
      INSERT INTO sent (from_device, message_id, server_time) VALUES (p_from_devices[i], p_message_ids[i], p_server_times[i]) ON CONFLICT DO NOTHING;
      GET DIAGNOSTICS v_claim = ROW_COUNT;
    END LOOP;
    IF duplicate_time IS NOT NULL THEN
      RETURN NEXT;
      CONTINUE;
    END IF;
    IF v_claim = 0 THEN RAISE EXCEPTION 'the send id % was neither new nor found', p_message_ids[i]; END IF;

    v_last := p_first_copies[i] + p_copy_counts[i] - 1;
    v_devices := p_devices[p_first_copies[i]:v_last];
    v_owners := p_owners[p_first_copies[i]:v_last];
    v_sealed := p_sealed[p_first_copies[i]:v_last];
    IF NOT (i = ANY(v_claimed)) THEN
      PERFORM warbler_lock_queues(v_devices);
    END IF;

    SELECT coalesce(array_agg(t.messages + 1 <= p_max_messages[i] AND t.bytes + char_length(c.sealed) <= p_max_bytes[i] ORDER BY c.ord), '{}')
      INTO fits
      FROM unnest(v_devices, v_sealed) WITH ORDINALITY AS c(device, sealed, ord) JOIN queue_totals AS t ON t.device = c.device;

    INSERT INTO refused (device, count)
    SELECT c.device, count(*) FROM unnest(v_devices, fits) AS c(device, fit) WHERE NOT c.fit GROUP BY c.device
    ON CONFLICT (device) DO UPDATE SET count = refused.count + excluded.count;

    SELECT array_agg(c.owner ORDER BY c.first) INTO full_owners
      FROM (SELECT o.owner, min(o.ord) AS first FROM unnest(v_owners) WITH ORDINALITY AS o(owner, ord) GROUP BY o.owner) AS c
      WHERE c.owner <> p_from_usernames[i]
        AND NOT EXISTS (SELECT 1 FROM unnest(v_owners, fits) AS r(owner, fit) WHERE r.owner = c.owner AND r.fit);
    IF full_owners IS NOT NULL THEN
      DELETE FROM sent AS s WHERE s.from_device = p_from_devices[i] AND s.message_id = p_message_ids[i];
      fits := NULL;
      RETURN NEXT;
      CONTINUE;
    END IF;

    WITH added AS (
      INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed)
      SELECT c.device, 'message', p_message_ids[i], p_from_usernames[i], p_from_devices[i], p_server_times[i], c.sealed
        FROM unnest(v_devices, v_sealed, fits) WITH ORDINALITY AS c(device, sealed, fit, ord) WHERE c.fit ORDER BY c.ord
      RETURNING envelopes.seq, envelopes.device, envelopes.sealed
    ), counted AS (
      UPDATE queue_totals AS t SET messages = t.messages + a.n, bytes = t.bytes + a.bytes
        FROM (SELECT added.device, count(*) AS n, sum(char_length(added.sealed)) AS bytes FROM added GROUP BY added.device) AS a
        WHERE t.device = a.device
    )
    SELECT coalesce(array_agg(added.seq ORDER BY added.seq), '{}') INTO seqs FROM added;
    RETURN NEXT;
  END LOOP;
END
$$;`;

/**
 * One row per ack, in order: how many envelopes were deleted, and the delivery receipts queued,
 * in order, with their seqs. The receipts' queues are found for every ack first and locked
 * together with the acking devices' own.
 */
const ACK_MANY = `
CREATE FUNCTION warbler_ack_many(
  p_devices text[], p_nows bigint[], p_first_seqs integer[], p_seq_counts integer[], p_seqs bigint[],
  p_first_no_receipts integer[], p_no_receipt_counts integer[], p_no_receipts bigint[]
) RETURNS TABLE (ack integer, removed integer, receipt_from text, receipt_devices text[], receipt_message_ids text[], receipt_seqs bigint[])
LANGUAGE plpgsql SET jit = off SET enable_mergejoin = off
  SET enable_nestloop = on SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_count integer := coalesce(array_length(p_devices, 1), 0);
  v_owners text[] := '{}';
  v_hidden boolean[] := '{}';
  v_locked text[] := p_devices;
  v_owner text;
  v_hid boolean;
  v_senders text[];
  v_seqs bigint[];
  v_no_receipt bigint[];
BEGIN
  -- The usual batch: each device acks once. Done in one statement after the locks, not several
  -- per ack; the receipts' queues are found for all at once first.
  IF (SELECT count(DISTINCT d) FROM unnest(p_devices) AS d) = v_count THEN
    -- Each table is read once, by the batch's keys; the joins are between the batch's own rows,
    -- hashed: PostgreSQL guesses one row for what a DELETE returns, and a nested loop over the
    -- batch's rows would compare each with each. Until the function returns (see its SET list).
    PERFORM set_config('enable_nestloop', 'off', true);
    WITH me AS MATERIALIZED (
      SELECT d.identity_key, d.username FROM devices AS d
        WHERE d.identity_key = ANY(p_devices) AND NOT EXISTS (SELECT 1 FROM hidden AS h WHERE h.username = d.username)
    ), batch AS MATERIALIZED (
      SELECT e.seq, e.device, e.from_username FROM envelopes AS e WHERE e.seq = ANY(p_seqs) AND e.kind = 'message'
    ), senders AS (
      SELECT DISTINCT b.from_username
        FROM generate_subscripts(p_devices, 1) AS a(i)
        CROSS JOIN LATERAL unnest(p_seqs[p_first_seqs[a.i]:p_first_seqs[a.i] + p_seq_counts[a.i] - 1]) AS w(seq)
        JOIN me ON me.identity_key = p_devices[a.i]
        JOIN batch AS b ON b.seq = w.seq AND b.device = p_devices[a.i]
        WHERE b.from_username <> me.username
          AND NOT (b.seq = ANY(p_no_receipts[p_first_no_receipts[a.i]:p_first_no_receipts[a.i] + p_no_receipt_counts[a.i] - 1]))
    )
    SELECT v_locked || coalesce(array_agg(DISTINCT sd.identity_key), '{}') INTO v_locked
      FROM devices AS sd WHERE sd.username = ANY(ARRAY(SELECT senders.from_username FROM senders));
    PERFORM warbler_lock_queues(v_locked);
    -- The acking devices' owners are read once the queues are held: a device unlinked meanwhile
    -- sends no receipt. A receipt goes only to a queue locked above (a device linked meanwhile
    -- gets one only if another ack of the batch locked it).
    RETURN QUERY
    WITH owners AS MATERIALIZED (
      SELECT d.identity_key, d.username FROM devices AS d WHERE d.identity_key = ANY(p_devices)
    ), acks AS (
      SELECT a.i, p_devices[a.i] AS device, o.username AS owner, p_nows[a.i] AS now,
             o.username IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hidden AS h WHERE h.username = o.username) AS receipting,
             p_no_receipts[p_first_no_receipts[a.i]:p_first_no_receipts[a.i] + p_no_receipt_counts[a.i] - 1] AS no_receipt
        FROM generate_subscripts(p_devices, 1) AS a(i)
        LEFT JOIN owners AS o ON o.identity_key = p_devices[a.i]
    ), wanted AS (
      SELECT a.i, w.seq, min(w.ord) AS ord
        FROM acks AS a
        CROSS JOIN LATERAL unnest(p_seqs[p_first_seqs[a.i]:p_first_seqs[a.i] + p_seq_counts[a.i] - 1]) WITH ORDINALITY AS w(seq, ord)
        GROUP BY a.i, w.seq
    ), batch AS MATERIALIZED (
      SELECT e.seq, e.device FROM envelopes AS e WHERE e.seq = ANY(p_seqs)
    ), mine AS MATERIALIZED (
      -- Only a device's own envelopes: an ack naming another queue's seq deletes nothing.
      SELECT w.i, w.seq FROM wanted AS w JOIN acks AS a ON a.i = w.i JOIN batch AS b ON b.seq = w.seq AND b.device = a.device
    ), gone AS (
      DELETE FROM envelopes AS e WHERE e.seq = ANY(ARRAY(SELECT mine.seq FROM mine))
      RETURNING e.seq, e.kind, e.message_id, e.from_username, e.sealed
    ), counted AS (
      UPDATE queue_totals AS t SET messages = t.messages - c.n, bytes = t.bytes - c.bytes
        FROM (SELECT a.device, count(*) AS n, coalesce(sum(char_length(g.sealed)), 0) AS bytes
                FROM gone AS g JOIN mine AS m ON m.seq = g.seq JOIN acks AS a ON a.i = m.i
                WHERE g.kind = 'message' GROUP BY a.device) AS c
        WHERE t.device = c.device AND t.device = ANY(p_devices)
    ), locked AS MATERIALIZED (
      SELECT d.identity_key, d.username, d.created_at FROM devices AS d WHERE d.identity_key = ANY(v_locked)
    ), receipts AS (
      SELECT a.i, d.identity_key AS device, g.message_id, a.owner, a.device AS from_device, a.now,
             row_number() OVER (ORDER BY a.i, w.ord, d.created_at, d.identity_key) AS ord
        FROM gone AS g JOIN mine AS m ON m.seq = g.seq JOIN acks AS a ON a.i = m.i
        JOIN wanted AS w ON w.i = m.i AND w.seq = m.seq
        JOIN locked AS d ON d.username = g.from_username
        WHERE a.receipting AND g.kind = 'message' AND g.from_username <> a.owner AND NOT (g.seq = ANY(a.no_receipt))
    ), added AS (
      INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed)
      SELECT r.device, 'delivered', r.message_id, r.owner, r.from_device, r.now, NULL FROM receipts AS r ORDER BY r.ord
      RETURNING envelopes.seq, envelopes.from_device
    )
    -- Each part is grouped once, then joined: a subquery per ack would read the whole batch per ack.
    SELECT a.i, coalesce(gc.n, 0), a.owner, coalesce(rc.devices, '{}'), coalesce(rc.message_ids, '{}'), coalesce(ac.seqs, '{}')
      FROM acks AS a
      LEFT JOIN (SELECT m.i, count(*)::integer AS n FROM gone AS g JOIN mine AS m ON m.seq = g.seq GROUP BY m.i) AS gc ON gc.i = a.i
      LEFT JOIN (SELECT r.i, array_agg(r.device ORDER BY r.ord) AS devices, array_agg(r.message_id ORDER BY r.ord) AS message_ids
                   FROM receipts AS r GROUP BY r.i) AS rc ON rc.i = a.i
      -- Each ack's receipts come from its own device: that is how their seqs are told apart.
      LEFT JOIN (SELECT x.from_device, array_agg(x.seq ORDER BY x.seq) AS seqs FROM added AS x GROUP BY x.from_device) AS ac
        ON ac.from_device = a.device
      ORDER BY a.i;
    RETURN;
  END IF;

  -- Otherwise ack by ack, as warbler_ack would, each seeing what the ones before it left.
  FOR i IN 1..v_count LOOP
    v_seqs := p_seqs[p_first_seqs[i]:p_first_seqs[i] + p_seq_counts[i] - 1];
    v_no_receipt := p_no_receipts[p_first_no_receipts[i]:p_first_no_receipts[i] + p_no_receipt_counts[i] - 1];
    v_owner := NULL;
    SELECT d.username INTO v_owner FROM devices AS d WHERE d.identity_key = p_devices[i];
    SELECT array_agg(DISTINCT e.from_username) INTO v_senders FROM envelopes AS e
      WHERE e.device = p_devices[i] AND e.seq = ANY(v_seqs) AND v_owner IS NOT NULL AND e.kind = 'message'
        AND e.from_username <> v_owner AND NOT (e.seq = ANY(v_no_receipt));
    v_hid := false;
    IF v_senders IS NOT NULL THEN
      v_hid := EXISTS (SELECT 1 FROM hidden AS h WHERE h.username = v_owner);
      IF NOT v_hid THEN
        v_locked := v_locked || ARRAY(SELECT d.identity_key FROM devices AS d WHERE d.username = ANY(v_senders));
      END IF;
    END IF;
    v_owners := array_append(v_owners, v_owner);
    v_hidden := array_append(v_hidden, v_hid);
  END LOOP;
  PERFORM warbler_lock_queues(v_locked);

  FOR i IN 1..v_count LOOP
    v_seqs := p_seqs[p_first_seqs[i]:p_first_seqs[i] + p_seq_counts[i] - 1];
    v_no_receipt := p_no_receipts[p_first_no_receipts[i]:p_first_no_receipts[i] + p_no_receipt_counts[i] - 1];
    v_owner := v_owners[i];
    v_hid := v_hidden[i];
    ack := i;
    receipt_from := v_owner;
    -- Devices are read again now that the queues are held: a receipt goes only to a queue this
    -- batch holds (a device linked meanwhile gets one only if another ack of the batch locked it).
    WITH gone AS (
      DELETE FROM envelopes AS e WHERE e.device = p_devices[i] AND e.seq = ANY(v_seqs)
      RETURNING e.seq, e.kind, e.message_id, e.from_username, e.sealed
    ), counted AS (
      UPDATE queue_totals AS t SET messages = t.messages - c.n, bytes = t.bytes - c.bytes
        FROM (SELECT count(*) AS n, coalesce(sum(char_length(gone.sealed)), 0) AS bytes FROM gone WHERE gone.kind = 'message') AS c
        WHERE t.device = p_devices[i]
    ), wanted AS (
      SELECT w.seq, min(w.ord) AS ord FROM unnest(v_seqs) WITH ORDINALITY AS w(seq, ord) GROUP BY w.seq
    ), receipts AS (
      SELECT d.identity_key AS device, g.message_id,
             row_number() OVER (ORDER BY w.ord, d.created_at, d.identity_key) AS ord
        FROM wanted AS w JOIN gone AS g ON g.seq = w.seq JOIN devices AS d ON d.username = g.from_username
        WHERE NOT v_hid AND v_owner IS NOT NULL AND g.kind = 'message' AND g.from_username <> v_owner
          AND NOT (g.seq = ANY(v_no_receipt)) AND d.identity_key = ANY(v_locked)
    ), added AS (
      INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed)
      SELECT r.device, 'delivered', r.message_id, v_owner, p_devices[i], p_nows[i], NULL FROM receipts AS r ORDER BY r.ord
      RETURNING envelopes.seq
    )
    SELECT (SELECT count(*) FROM gone),
           coalesce((SELECT array_agg(r.device ORDER BY r.ord) FROM receipts AS r), '{}'),
           coalesce((SELECT array_agg(r.message_id ORDER BY r.ord) FROM receipts AS r), '{}'),
           coalesce((SELECT array_agg(a.seq ORDER BY a.seq) FROM added AS a), '{}')
      INTO removed, receipt_devices, receipt_message_ids, receipt_seqs;
    RETURN NEXT;
  END LOOP;
END
$$;`;

export const batchedQueueFunctions: PgMigration = {
  version: 5,
  name: 'batched queue functions',
  async up(client) {
    for (const sql of [STORE_MESSAGES, ACK_MANY]) await client.query(sql);
  },
};
