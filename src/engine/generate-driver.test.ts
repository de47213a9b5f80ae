import { afterEach, describe, expect, it } from 'vitest';
import { tempStore, testConfig } from '../../test/support/temp-run.js';
import { listCells, type CellRow } from '../store/cell-repo.js';
import { createJob } from '../store/job-repo.js';
import { Conductor } from './conductor.js';
import { GenerateDriver } from './generate-driver.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** The real driver's pools and the real conductor; only the worker process is left out. */
class RowOnlyGenerateDriver extends GenerateDriver {
  override launch(cell: CellRow): void {
    createJob(this.db, cell.id, 'generate', 'process', null);
  }
}

describe('generation slots', () => {
  it('keeps cells of batch generators in their own pool, so a day-long batch never takes a live slot', async () => {
    const config = testConfig({
      generators: [
        { id: 'slow', provider: 'openai', model: 'm', apiKeyEnv: 'K', batch: true, price: { input: 1, output: 1 } },
        { id: 'live', provider: 'openai-compatible', model: 'm', baseURL: 'http://127.0.0.1:9/v1', price: { input: 1, output: 1 } },
      ],
      settings: ['math/instance', 'code/instance', 'inst/instance'],
      generation: { maxWorkers: 1, maxBatchWorkers: 2 },
    });
    const t = tempStore(config);
    cleanups.push(t.cleanup);
    const db = t.db;
    const driver = new RowOnlyGenerateDriver(db, t.dir, config, { K: 'k' });
    await new Conductor(db, { stages: ['generate'], drivers: [driver] }).tick();
    const running = listCells(db).filter((c) => c.state === 'running');
    expect(running.filter((c) => c.generator === 'slow')).toHaveLength(2);
    expect(running.filter((c) => c.generator === 'live')).toHaveLength(1);
  });
});
