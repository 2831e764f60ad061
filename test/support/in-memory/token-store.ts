import { StorageUnavailableError } from '../../../functions/errors';
import { holds, type PairStatus } from '../../../functions/tokens/pair-condition';
import {
  countHalves,
  halvesOf,
  invalidatedByThis,
  isActive,
  REFRESH_IS_ROTATABLE,
  wasInvalidatedBy,
  withHalfInvalidated,
} from '../../../functions/tokens/pair-rules';
import { isRevoked, type RevocationWatermark, scopeOfPair } from '../../../functions/tokens/revocation';
import { digestsOf, realmDigest, type ScopeDigests, type ScopeKey, userDigest } from '../../../functions/tokens/scope-digest';
import type { TokenPair } from '../../../functions/tokens/token-pair';
import type {
  ActivityBounds,
  CreationWindow,
  HalfInvalidation,
  HalfTarget,
  InvalidationId,
  PairInvalidation,
  PairPage,
  PairRef,
  ReadBack,
  ReadPair,
  RefreshMark,
  RotationOutcome,
  SweepCursor,
  TokenStore,
} from '../../../functions/tokens/token-store';
import { shardOf } from '../../../functions/tokens/token-string';
import { FaultSwitch } from './faults';

export type TokenStoreOperation =
  | 'create'
  | 'get'
  | 'revoke'
  | 'rotate'
  | 'invalidateHalf'
  | 'nextPage'
  | 'invalidatePair'
  | 'readBack';

/** A stored pair: the pair, who invalidated each half, and whether it is on the indexes. */
interface StoredPair extends TokenPair, PairStatus {
  readonly indexed: boolean;
}

/** An index entry, as a keys-only index holds it (the username index, by digest, also carries the realm). */
interface IndexEntry {
  readonly pairId: string;
  readonly realm: string;
  readonly user: string;
  readonly createdAt: number;
  readonly shard: number;
}

/** Where a stream of this store resumes: after this entry, in index order. */
type Position = { readonly createdAt: number; readonly pairId: string };

export interface InMemoryTokenStoreOptions {
  readonly indexShards?: number;
  /**
   * The indexes are eventually consistent, as DynamoDB's global secondary indexes are: with a lag, what a
   * write does to them is seen by `nextPage` only once `settleIndexes()` is called. Without, at once.
   */
  readonly indexLag?: boolean;
}

/**
 * The token store port (functions/tokens/token-store.ts) in memory, for unit tests of the token service and
 * the invalidation sweep. It keeps the port's documented contract as the DynamoDB adapter does, and the
 * contract suite (test/integration/token-store-contract.test.ts) runs the same cases against both:
 * - reads of a pair (`get`, `readBack`) are strongly consistent; the indexes `nextPage` reads are not (see
 *   `indexLag`);
 * - each write is atomic and checks the same conditions DynamoDB's write does, from the same declared rules
 *   (tokens/pair-rules.ts): it fails, or answers `lost`/`not_found`/undefined, exactly where they fail;
 * - faults on demand (`faults`): a call that fails before it is applied, or a write whose reply is lost.
 */
export class InMemoryTokenStore implements TokenStore {
  readonly faults = new FaultSwitch<TokenStoreOperation>('token');
  private readonly pairs = new Map<string, StoredPair>();
  private readonly watermarks = new Map<string, number>();
  private readonly visible = new Map<string, IndexEntry>();
  private readonly lagging: (() => void)[] = [];
  private readonly indexShards: number;

  constructor(private readonly options: InMemoryTokenStoreOptions = {}) {
    this.indexShards = options.indexShards ?? 16;
  }

  /** Lets the indexes catch up with every write so far (with `indexLag`). */
  settleIndexes(): void {
    for (const apply of this.lagging.splice(0)) apply();
  }

  /** The stored form of a pair, for assertions; undefined when there is none. */
  stored(pairId: string): Readonly<StoredPair> | undefined {
    return this.pairs.get(pairId);
  }

  create(pair: TokenPair): Promise<void> {
    return this.faults.around('create', () => {
      const existing = this.pairs.get(pair.id);
      // As the adapter: an existing pair with this secret is this very put, applied before a lost reply.
      if (existing !== undefined && existing.accessHash === pair.accessHash) return;
      if (existing !== undefined) throw new StorageUnavailableError('token', 'create token pair');
      this.put({ ...pair, indexed: true });
    });
  }

  /** As the adapter: the watermarks of the digests the token names, or of the pair as read for the previous version's. */
  get({ pairId, scope }: PairRef): Promise<ReadPair | undefined> {
    return this.faults.around('get', () => {
      const stored = this.pairs.get(pairId);
      if (stored === undefined) return undefined;
      const { indexed: _, accessInvalidatedBy: _a, refreshInvalidatedBy: _r, ...pair } = stored;
      const latestRevocation = this.latestThrough(scope ?? digestsOf(scopeOfPair(pair)));
      return structuredClone({ ...pair, ...(latestRevocation !== undefined && { latestRevocation }) });
    });
  }

  revoke({ scope, through }: RevocationWatermark): Promise<void> {
    return this.faults.around('revoke', () => {
      const key = watermarkKey({ realm: scope.realm === undefined ? undefined : realmDigest(scope.realm), user: scope.user });
      this.watermarks.set(key, Math.max(this.watermarks.get(key) ?? through, through));
    });
  }

  /** RF-8: the old pair's mark, the successor and the watermark check, all or nothing. */
  rotate({ pairId: oldPairId }: PairRef, mark: RefreshMark, successor: TokenPair): Promise<RotationOutcome> {
    return this.faults.around('rotate', () => {
      const old = this.pairs.get(oldPairId);
      const rotatable = old !== undefined && holds(REFRESH_IS_ROTATABLE, old, { createdNotBefore: mark.createdNotBefore });
      if (!rotatable || isRevoked(mark.oldCreatedAt, this.latestThrough(digestsOf(scopeOfPair(successor))))) {
        return 'lost';
      }
      // Only a repeat of this very transaction can find the successor's id taken: the adapter's 503.
      if (this.pairs.has(successor.id)) throw new StorageUnavailableError('token', 'refresh token pair');
      this.put({ ...old, refreshedAt: mark.refreshedAt, superseding: mark.superseding });
      this.put({ ...successor, indexed: true });
      return 'rotated';
    });
  }

  invalidateHalf(target: HalfTarget, bounds: ActivityBounds, operation: InvalidationId): Promise<HalfInvalidation> {
    return this.faults.around('invalidateHalf', () => {
      const { pairId, half, secretHash, soleHalf } = target;
      const old = this.pairs.get(pairId);
      const hash = half === 'access' ? old?.accessHash : old?.refreshHash;
      const holdsHalf = old !== undefined && hash === secretHash && old.createdAt >= bounds.createdNotBefore;
      if (!holdsHalf || (soleHalf && old.refreshHash !== undefined)) return 'not_found';
      const after = withHalfInvalidated(old, half, operation);
      // A sole half leaves the indexes in the same write; another, once nothing of the pair is active.
      this.put({ ...after, indexed: old.indexed && !soleHalf && isActive(after, bounds) });
      return invalidatedByThis(old, half, operation) ? 'invalidated' : 'previously_invalidated';
    });
  }

  sweepStart(_scope: ScopeKey): SweepCursor[] {
    return Array.from({ length: this.indexShards }, (_, shard) => ({ stream: String(shard) }));
  }

  /** As a DynamoDB query with `Limit`: `limit` entries are read, then filtered on the realm; `next` when the limit was reached. */
  nextPage(scope: ScopeKey, cursor: SweepCursor, window: CreationWindow, limit: number): Promise<PairPage> {
    return this.faults.around('nextPage', () => {
      const shard = Number(cursor.stream);
      const after = cursor.after as Position | undefined;
      const read = [...this.visible.values()]
        .filter((entry) => entry.shard === shard && entry.createdAt >= window.from && entry.createdAt <= window.to)
        .filter((entry) => (scope.user !== undefined ? entry.user === scope.user : entry.realm === scope.realm))
        .sort(byIndexOrder)
        .filter((entry) => after === undefined || byIndexOrder(entry, after) > 0)
        .slice(0, limit);
      const positionOf = (entry: IndexEntry) => ({
        stream: cursor.stream,
        after: { createdAt: entry.createdAt, pairId: entry.pairId },
      });
      const last = read.at(-1);
      return {
        pairs: read
          .filter((entry) => scope.user === undefined || scope.realm === undefined || entry.realm === scope.realm)
          .map((entry) => ({ pairId: entry.pairId, resumeAfter: positionOf(entry) })),
        ...(read.length === limit && last !== undefined && { next: positionOf(last) }),
      };
    });
  }

  invalidatePair(pairId: string, bounds: ActivityBounds, operation: InvalidationId): Promise<PairInvalidation | undefined> {
    return this.faults.around('invalidatePair', () => {
      const old = this.pairs.get(pairId);
      if (old === undefined) return undefined;
      if (!isActive(old, bounds)) {
        // As the adapter: counted as then if this very request invalidated it, else taken off the indexes.
        if (wasInvalidatedBy(old, operation)) return countHalves(old, operation);
        this.put({ ...old, indexed: false });
        return undefined;
      }
      const after = withHalfInvalidated(withHalfInvalidated(old, 'access', operation), 'refresh', operation);
      this.put({ ...after, indexed: false });
      return countHalves(old, operation);
    });
  }

  readBack(pairId: string, bounds: ActivityBounds, operation: InvalidationId): Promise<ReadBack> {
    return this.faults.around('readBack', () => {
      const pair = this.pairs.get(pairId);
      if (pair === undefined) return { active: [] };
      if (wasInvalidatedBy(pair, operation)) return { applied: countHalves(pair, operation) };
      return { active: isActive(pair, bounds) ? halvesOf(pair) : [] };
    });
  }

  /** Stores the pair, and what it does to the indexes (at once, or once settled with `indexLag`). */
  private put(pair: StoredPair): void {
    this.pairs.set(pair.id, structuredClone(pair));
    const entry: IndexEntry = {
      pairId: pair.id,
      realm: scopeOfPair(pair).realm,
      user: userDigest(scopeOfPair(pair).username),
      createdAt: pair.createdAt,
      shard: shardOf(pair.id, this.indexShards),
    };
    const apply = () => (pair.indexed ? this.visible.set(pair.id, entry) : this.visible.delete(pair.id));
    if (this.options.indexLag) this.lagging.push(apply);
    else apply();
  }

  /** The latest watermark of the three scopes these digests name: realm, user, user in realm. */
  private latestThrough({ realm, user }: ScopeDigests): number | undefined {
    const scopes = [{ realm }, { user }, { realm, user }];
    const marks = scopes.flatMap((scope) => this.watermarks.get(watermarkKey(scope)) ?? []);
    return marks.length === 0 ? undefined : Math.max(...marks);
  }
}

function watermarkKey({ realm, user }: { realm?: string; user?: string }): string {
  return JSON.stringify([realm ?? null, user ?? null]);
}

function byIndexOrder(a: Position, b: Position): number {
  return a.createdAt - b.createdAt || (a.pairId < b.pairId ? -1 : a.pairId > b.pairId ? 1 : 0);
}
