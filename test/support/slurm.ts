// Is there a Slurm cluster to test against? With AGORA_SLURM_SETUP=1 the single-node one from
// scripts/slurm-setup.sh is installed/started first (needs root and apt).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../fixtures/fake-trainer-support.js';

const run = promisify(execFile);

export type SlurmAvailability = { readonly ready: true; readonly partition: string } | { readonly ready: false; readonly reason: string };

async function nodeUp(): Promise<SlurmAvailability> {
  try {
    const { stdout } = await run('sinfo', ['-h', '-o', '%P %t'], { timeout: 15_000 });
    const up = stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find(([, state]) => state === 'idle' || state === 'mix' || state === 'alloc');
    if (up?.[0]) return { ready: true, partition: up[0].replace(/\*$/, '') };
    return { ready: false, reason: `sinfo shows no idle node: ${JSON.stringify(stdout.trim())}` };
  } catch (e) {
    const err = e as Error & { stderr?: string };
    return { ready: false, reason: `sinfo failed: ${(err.stderr?.trim() || err.message).split('\n')[0]}` };
  }
}

export async function slurmAvailability(): Promise<SlurmAvailability> {
  if (process.env.AGORA_SLURM_SETUP === '1') {
    try {
      await run('bash', [join(repoRoot, 'scripts/slurm-setup.sh')], { timeout: 15 * 60_000 });
    } catch (e) {
      const err = e as Error & { stderr?: string };
      return { ready: false, reason: `scripts/slurm-setup.sh failed: ${(err.stderr ?? err.message).trim().split('\n').slice(-3).join(' | ')}` };
    }
  }
  const state = await nodeUp();
  if (!state.ready && process.env.AGORA_SLURM_SETUP !== '1') {
    return { ready: false, reason: `${state.reason}; run scripts/slurm-setup.sh as root, or set AGORA_SLURM_SETUP=1` };
  }
  return state;
}
