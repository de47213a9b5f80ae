import { connectEndpoint, serveStudent, type ServerHandle } from '../../adapters/serve/student-server.js';

/** A metric model that answers: where, under which name, and how to let it go. */
export interface ServedModel {
  readonly baseURL: string;
  readonly model: string;
  stop(): Promise<void>;
}

export interface ServeContext {
  readonly readinessTimeoutMs: number;
  readonly signal: AbortSignal;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  /** Records a started server on the job, so the conductor stops it should this worker die (as evaluation does). */
  readonly onServer: (server: ServerHandle | undefined) => void;
}

/**
 * Connects to a running server, or starts one from the serve command as evaluation starts a
 * student; the model name is the configured one, else the first the server lists.
 */
export async function openServedModel(
  source: { endpoint: string } | { checkpoint: string; serveCommand: string },
  model: string | undefined,
  ctx: ServeContext,
): Promise<ServedModel> {
  const endpoint =
    'endpoint' in source
      ? await connectEndpoint(source.endpoint, { readinessTimeoutMs: ctx.readinessTimeoutMs, signal: ctx.signal })
      : await serveStudent({
          command: source.serveCommand,
          checkpoint: source.checkpoint,
          logFile: ctx.logFile,
          readinessTimeoutMs: ctx.readinessTimeoutMs,
          signal: ctx.signal,
          cwd: ctx.cwd,
          env: ctx.env,
          onStart: (s) => ctx.onServer(s),
        });
  const name = model ?? endpoint.models[0];
  if (name === undefined) {
    await endpoint.stop();
    throw new Error(`the server at ${endpoint.baseURL} lists no model; give its name as model`);
  }
  return {
    baseURL: endpoint.baseURL,
    model: name,
    stop: async () => {
      await endpoint.stop();
      if (endpoint.server) ctx.onServer(undefined);
    },
  };
}
