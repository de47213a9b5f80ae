/**
 * Versioned schema. Each entry moves the database from version i to i+1 (PRAGMA user_version).
 * Never edit a released migration: append a new one.
 * Money columns are integer nano-dollars (see core/cost.ts).
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE run_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE generators (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    price_in REAL NOT NULL,
    price_out REAL NOT NULL,
    cap_nano INTEGER,
    blocked_reason TEXT
  );

  CREATE TABLE cells (
    id INTEGER PRIMARY KEY,
    generator TEXT NOT NULL REFERENCES generators(id),
    setting TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'generate',
    state TEXT NOT NULL DEFAULT 'pending',
    target INTEGER NOT NULL,
    accepted INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    cost_nano INTEGER NOT NULL DEFAULT 0,
    gpu_cost_nano INTEGER NOT NULL DEFAULT 0,
    tokens_in INTEGER NOT NULL DEFAULT 0,
    tokens_out INTEGER NOT NULL DEFAULT 0,
    calls INTEGER NOT NULL DEFAULT 0,
    retries INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    progress_json TEXT,
    scores_json TEXT,
    updated_at INTEGER NOT NULL,
    UNIQUE (generator, setting)
  );

  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    cell_id INTEGER NOT NULL REFERENCES cells(id),
    stage TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    state TEXT NOT NULL,
    runner TEXT NOT NULL,
    pid INTEGER,
    handle_json TEXT,
    concurrency INTEGER,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    heartbeat_at INTEGER,
    ended_at INTEGER,
    error TEXT
  );
  CREATE INDEX jobs_by_state ON jobs(state);
  CREATE INDEX jobs_by_cell ON jobs(cell_id);

  CREATE TABLE instances (
    id INTEGER PRIMARY KEY,
    cell_id INTEGER NOT NULL REFERENCES cells(id),
    seq INTEGER NOT NULL,
    instruction TEXT NOT NULL,
    response TEXT NOT NULL,
    instruction_key TEXT NOT NULL,
    seed_index INTEGER,
    call_id INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (cell_id, seq),
    UNIQUE (cell_id, instruction_key),
    UNIQUE (cell_id, seed_index)
  );

  CREATE TABLE rejections (
    id INTEGER PRIMARY KEY,
    cell_id INTEGER NOT NULL REFERENCES cells(id),
    reason TEXT NOT NULL,
    detail TEXT,
    raw TEXT,
    seed_index INTEGER,
    call_id INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX rejections_by_cell_seed ON rejections(cell_id, seed_index);

  -- Per-reason counts kept beside the rows so the detail view costs O(reasons), not O(rows).
  CREATE TABLE rejection_counts (
    cell_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (cell_id, reason)
  );

  CREATE TABLE api_calls (
    id INTEGER PRIMARY KEY,
    cell_id INTEGER,
    job_id INTEGER,
    generator TEXT NOT NULL,
    purpose TEXT NOT NULL,
    tokens_in INTEGER NOT NULL,
    tokens_out INTEGER NOT NULL,
    cost_nano INTEGER NOT NULL,
    latency_ms INTEGER,
    attempts INTEGER NOT NULL DEFAULT 1,
    outcome TEXT NOT NULL,
    error TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX api_calls_by_cell ON api_calls(cell_id);

  CREATE TABLE reservations (
    id INTEGER PRIMARY KEY,
    generator TEXT NOT NULL,
    cell_id INTEGER,
    job_id INTEGER,
    amount_nano INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX reservations_by_job ON reservations(job_id);

  -- Running totals per scope ('*' for the run, else a generator id): the budget check reads
  -- two rows instead of summing every call.
  CREATE TABLE ledger (
    scope TEXT PRIMARY KEY,
    spent_nano INTEGER NOT NULL DEFAULT 0,
    reserved_nano INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    cell_id INTEGER,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    stage TEXT,
    state TEXT,
    message TEXT
  );
  CREATE INDEX events_by_cell ON events(cell_id, id);
  `,
  `
  -- Evaluation: every benchmark item's output and verdict, per subject ('cell:<id>' for a
  -- trained student, 'base' for S_0, 'reference' for S_ref), so grading is resumable and
  -- every score can be traced back to its items.
  CREATE TABLE eval_items (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    cell_id INTEGER,
    benchmark TEXT NOT NULL,
    item_id TEXT NOT NULL,
    output TEXT,
    score REAL,
    verdict_json TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (subject, benchmark, item_id)
  );

  CREATE TABLE benchmark_scores (
    subject TEXT NOT NULL,
    benchmark TEXT NOT NULL,
    score REAL NOT NULL,
    n INTEGER NOT NULL,
    ci_low REAL,
    ci_high REAL,
    source TEXT NOT NULL,
    details_json TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (subject, benchmark)
  );
  `,
  `
  -- The trained student's checkpoint stays with the cell after training (the progress column
  -- moves on to evaluation), and GPU time is costed per training job.
  ALTER TABLE cells ADD COLUMN checkpoint TEXT;
  ALTER TABLE jobs ADD COLUMN gpu_cost_nano INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- Response generation / quality enhancement: a seed item rejected attemptsPerItem times is
  -- dropped (as in the official code). A drop is recorded once per item, so a resumed or
  -- retried cell neither asks it again nor counts it twice; cells.dropped is their count, so
  -- the dashboard's poll stays O(cells).
  ALTER TABLE cells ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE dropped_items (
    cell_id INTEGER NOT NULL REFERENCES cells(id),
    seed_index INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (cell_id, seed_index)
  );
  `,
  `
  -- Money that is not known: a request cut off by a crash or an abort is charged at its
  -- reserved worst case. It still counts against the caps, but is kept apart (worst_case on
  -- the call, orphaned_nano per scope) so spending can be told from its estimated part.
  ALTER TABLE api_calls ADD COLUMN worst_case INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE ledger ADD COLUMN orphaned_nano INTEGER NOT NULL DEFAULT 0;
  UPDATE api_calls SET worst_case = 1
    WHERE cost_nano > 0 AND (outcome = 'orphaned' OR (outcome = 'error' AND tokens_in = 0 AND tokens_out = 0));
  UPDATE ledger SET orphaned_nano = (
    SELECT COALESCE(SUM(cost_nano), 0) FROM api_calls WHERE worst_case = 1 AND (ledger.scope = '*' OR api_calls.generator = ledger.scope)
  );
  `,
  `
  -- Provider batch APIs (generators[].batch): a batch sent to the provider outlives the worker
  -- that sent it, so its id and its requests are stored, and a restarted worker polls it
  -- instead of sending it again. Each request keeps its reservation (job_id NULL while the
  -- batch is out, so a dead worker's orphan charge leaves it alone) and the work item its
  -- answer is parsed against.
  CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    cell_id INTEGER NOT NULL REFERENCES cells(id),
    seq INTEGER NOT NULL,
    provider_batch_id TEXT,
    state TEXT NOT NULL,
    total INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    provider_status TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX batches_by_cell ON batches(cell_id, state);
  CREATE TABLE batch_requests (
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    custom_id TEXT NOT NULL,
    reservation_id INTEGER NOT NULL,
    amount_nano INTEGER NOT NULL,
    seed_index INTEGER,
    item_json TEXT,
    PRIMARY KEY (batch_id, custom_id)
  );
  `,
  `
  -- The intrinsic metrics stage (issue 13): one row per sampled instance and metric. value: a
  -- judge score, a perplexity or a reward (NULL for embeddings and for failures); vector: an
  -- embedding as Float32 little-endian bytes (diversity.*); detail_json: why a row has no value.
  CREATE TABLE instance_metrics (
    cell_id INTEGER NOT NULL REFERENCES cells(id),
    instance_id INTEGER NOT NULL,
    metric TEXT NOT NULL,
    value REAL,
    vector BLOB,
    detail_json TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (cell_id, instance_id, metric)
  );
  `,
];
