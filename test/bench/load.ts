/** One operation of a scenario; `n` is unique per side, so it can pick a token pair of its own. */
export type Operation = (n: number) => Promise<void>;

/** Hands out the numbers of one side's operations across warm-up and every measured round. */
export class Sequence {
  private next = 0;

  take(): number {
    return this.next++;
  }
}

export interface Sample {
  /** Wall time of the whole stretch, in milliseconds. */
  elapsedMs: number;
  /**
   * CPU time of this process (user + system) over the stretch: the handler's code and the SDK for the
   * service, the SDK alone for the floor. Less sensitive to a shared machine than wall time.
   */
  cpuMs: number;
  /** One latency per operation, in milliseconds. */
  latenciesMs: number[];
}

/**
 * A closed loop: `concurrency` workers each start the next operation as soon as their last one answered,
 * until `count` have run. Latency is measured around the operation alone.
 */
export async function closedLoop(operation: Operation, sequence: Sequence, count: number, concurrency: number): Promise<Sample> {
  const latenciesMs: number[] = [];
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      const n = sequence.take();
      const t0 = performance.now();
      await operation(n);
      latenciesMs.push(performance.now() - t0);
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, latenciesMs };
}

export interface Side {
  readonly operation: Operation;
  readonly sequence: Sequence;
  /** Called before each of the side's stretches (to point the capacity meter at this side). */
  readonly enter: () => void;
}

/**
 * Service and floor, `count` operations each, in rounds that alternate (service first in even rounds,
 * floor first in odd ones), each side at least `concurrency` operations a round. Whatever else the machine
 * is doing falls on both sides alike, and each round gives one service/floor ratio of neighbouring
 * stretches: their median is robust to a burst of load that hits one stretch.
 */
export async function alternate(
  service: Side,
  floor: Side,
  count: number,
  concurrency: number,
  rounds: number,
): Promise<{ service: Sample; floor: Sample; roundRatios: number[] }> {
  const totals = { service: emptySample(), floor: emptySample() };
  const roundRatios: number[] = [];
  const perRound = Math.max(concurrency, Math.ceil(count / rounds));
  for (let round = 0, done = 0; done < count; round++, done += perRound) {
    const n = Math.min(perRound, count - done);
    const order: ['service' | 'floor', Side][] = [
      ['service', service],
      ['floor', floor],
    ];
    if (round % 2 === 1) order.reverse();
    const elapsed = { service: 0, floor: 0 };
    for (const [name, side] of order) {
      side.enter();
      const sample = await closedLoop(side.operation, side.sequence, n, concurrency);
      elapsed[name] = sample.elapsedMs;
      totals[name].elapsedMs += sample.elapsedMs;
      totals[name].cpuMs += sample.cpuMs;
      totals[name].latenciesMs.push(...sample.latenciesMs);
    }
    roundRatios.push(elapsed.service / elapsed.floor);
  }
  return { ...totals, roundRatios };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  if (sorted.length === 0) return Number.NaN;
  return Number.isInteger(middle)
    ? ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
    : (sorted[Math.floor(middle)] as number);
}

function emptySample(): Sample {
  return { elapsedMs: 0, cpuMs: 0, latenciesMs: [] };
}

export interface Summary {
  readonly ops: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  /** CPU time of this process per operation, in milliseconds. */
  readonly cpuMsPerOp: number;
}

/** Nearest-rank percentile. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function summarize(sample: Sample): Summary {
  const sorted = [...sample.latenciesMs].sort((a, b) => a - b);
  const ops = sorted.length;
  return {
    ops,
    opsPerSecond: ops / (sample.elapsedMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / ops,
    cpuMsPerOp: sample.cpuMs / ops,
  };
}
