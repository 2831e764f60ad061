import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PasswordHashing } from '../../functions/security/authc/passwords/bcrypt';

type Job = { readonly resolve: (value: unknown) => void; readonly reject: (error: Error) => void };
type Request =
  | { id: number; op: 'compare'; password: string; hash: string }
  | { id: number; op: 'hash'; password: string; cost: number };

/**
 * The worker's code, evaluated rather than loaded from a file, so it runs the same under tsx, jest and
 * plain node. bcryptjs is pure JavaScript: here it costs a worker thread, not the event loop.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(require.resolve('bcryptjs'))});
parentPort.on('message', async (job) => {
  try {
    const result = job.op === 'compare' ? await bcrypt.compare(job.password, job.hash) : await bcrypt.hash(job.password, job.cost);
    parentPort.postMessage({ id: job.id, result });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: String(error && error.name) });
  }
});
`;

/**
 * bcrypt for the local API, in worker threads. The local API serves every function in one process, so a
 * flood of wrong passwords (each ~50 ms of bcrypt) on the event loop would stall every other request, Bearer
 * ones included. Lambda runs one request per instance and keeps bcrypt in its own thread. One thread is left
 * to the event loop; workers are unref'd, so they never keep the process alive. Passwords only ever cross
 * into a worker's memory, never a log.
 */
export class PasswordWorkers implements PasswordHashing {
  private readonly workers: Worker[];
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;

  constructor(size = Math.max(1, availableParallelism() - 1)) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref();
      worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
        const job = this.jobs.get(id);
        this.jobs.delete(id);
        if (error !== undefined) job?.reject(new Error(`password hashing failed in a worker: ${error}`));
        else job?.resolve(result);
      });
      return worker;
    });
  }

  compare(password: string, hash: string): Promise<boolean> {
    return this.run({ id: this.nextId++, op: 'compare', password, hash }) as Promise<boolean>;
  }

  hash(password: string, cost: number): Promise<string> {
    return this.run({ id: this.nextId++, op: 'hash', password, cost }) as Promise<string>;
  }

  /** Round robin: bcrypt jobs cost about the same, so no queue needs balancing. */
  private run(request: Request): Promise<unknown> {
    const worker = this.workers[request.id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.jobs.set(request.id, { resolve, reject });
      worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
