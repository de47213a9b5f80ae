import { writeTransaction, type Db } from '../store/open-store.js';
import { readConductorClaim, releaseConductorClaim, writeConductorClaim, type ConductorClaim } from '../store/run-repo.js';
import { isProcessAlive, HEARTBEAT_STALE_MS } from './process-liveness.js';

type LockValue = ConductorClaim;

/**
 * One conductor per run folder. The claim is a row in the run's own database, taken in an
 * IMMEDIATE transaction, so two `agora` processes starting at the same moment cannot both win;
 * a holder whose process is gone, or whose heartbeat stopped, is taken over.
 */
export class ConductorLock {
  constructor(
    private readonly db: Db,
    private readonly pid: number = process.pid,
  ) {}

  tryAcquire(): { ok: true } | { ok: false; holderPid: number } {
    return writeTransaction(this.db, () => {
      const cur = this.read();
      if (cur && cur.pid !== this.pid && isProcessAlive(cur.pid) && Date.now() - cur.at < HEARTBEAT_STALE_MS) {
        return { ok: false as const, holderPid: cur.pid };
      }
      this.write();
      return { ok: true as const };
    });
  }

  /** Called on every tick: keeps the claim fresh. Returns false if another process took it. */
  refresh(): boolean {
    return writeTransaction(this.db, () => {
      const cur = this.read();
      if (cur && cur.pid !== this.pid) return false;
      this.write();
      return true;
    });
  }

  release(): void {
    releaseConductorClaim(this.db, this.pid);
  }

  /** Whoever holds the claim now, alive or not (for the message of a conductor that lost it). */
  currentHolderPid(): number | undefined {
    return this.read()?.pid;
  }

  holder(): LockValue | undefined {
    const cur = this.read();
    return cur && isProcessAlive(cur.pid) && Date.now() - cur.at < HEARTBEAT_STALE_MS ? cur : undefined;
  }

  private read(): LockValue | undefined {
    return readConductorClaim(this.db);
  }

  private write(): void {
    writeConductorClaim(this.db, { pid: this.pid, at: Date.now() });
  }
}
