/**
 * A client's local copy of the cache subtree, kept by watches: a child watch on the root and a data watch
 * on every child; each event re-reads what it is about (which sets the one-shot watch again). Reads are
 * merged by zxid, so a late reply never replaces a newer version. Everything the copy learns goes into a
 * journal with its time, drained into the next op's value (checkers/cache/history.ts has the format).
 *
 * What differs between the variants is only what happens when the session changes under the copy:
 * - resync: after a reconnect (same session) and on a new session it syncs and re-reads the subtree;
 * - naive: on a new session it sets its watches again (exists on every child it holds, getChildren on the
 *   root) and ignores what those calls return; after a reconnect it relies on ZooKeeper re-sending them.
 * Both retry a refresh that failed (a re-read interrupted by a lost connection) at the next op.
 */
import type { CopyMap, JournalEntry } from "../../checkers/cache/history.ts";
import { jsonOrdinal } from "../../checkers/ordinal.ts";
import { ZkError, type ConnectionState, type Stat, type WatchEvent, type ZkClient } from "../zk/index.ts";
import { CACHE_ROOT } from "./index.ts";

type Note = JournalEntry extends infer E
  ? E extends JournalEntry
    ? Omit<E, "t" | "session">
    : never
  : never;

const pathOf = (key: string): string => `${CACHE_ROOT}/${key}`;

export class LocalCopy {
  private readonly entries = new Map<string, { c: bigint; m: bigint }>();
  /** Per key, the root pzxid at which it was last seen gone: incarnations up to it are dead. */
  private readonly tombs = new Map<string, bigint>();
  private journal: JournalEntry[] = [];
  private readonly pending = new Set<Promise<void>>();
  /** Keys whose refresh failed (null: the child set); retried at the next op. */
  private readonly retry = new Set<string | null>();
  private zk: ZkClient | null = null;
  private readonly armedData = new Set<string>();
  private armedChildren = false;
  private loaded = false;
  private needReload = false;
  private needRearm = false;
  private readonly onState = (s: ConnectionState) => this.stateChanged(s);

  constructor(
    private readonly resync: boolean,
    private readonly now: () => number,
  ) {}

  /** Bind to the worker's current session; on a new one, load (first time), resync or re-arm. */
  async attach(zk: ZkClient): Promise<void> {
    if (zk !== this.zk) {
      this.zk?.off("state", this.onState);
      this.zk = zk;
      this.armedData.clear();
      this.armedChildren = false;
      this.retry.clear();
      zk.on("state", this.onState);
      this.note({ e: "state", state: "new" });
      if (!this.loaded || this.resync) this.needReload = true;
      else this.needRearm = true;
    }
    if (this.needReload) {
      await this.reload(zk);
      this.needReload = false;
      this.loaded = true;
    }
    if (this.needRearm) {
      await this.rearm(zk);
      this.needRearm = false;
    }
    for (const key of [...this.retry]) {
      this.retry.delete(key);
      await (key === null ? this.refreshChildren(zk) : this.refreshData(zk, key));
    }
  }

  /** Wait until no refresh is in flight (refreshes started meanwhile included). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Whether the copy is whole: nothing left to reload, re-arm or retry. */
  get complete(): boolean {
    return !this.needReload && !this.needRearm && this.retry.size === 0;
  }

  copy(): CopyMap {
    const out: Record<string, [number | string, number | string]> = {};
    for (const [k, e] of [...this.entries].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
      out[k] = [jsonOrdinal(e.c), jsonOrdinal(e.m)];
    return out;
  }

  /** What was learned since the last call. */
  drain(): JournalEntry[] {
    const j = this.journal;
    this.journal = [];
    return j;
  }

  private note(e: Note, session = this.zk?.sessionId ?? "0x0"): void {
    this.journal.push({ t: this.now(), session, ...e } as JournalEntry);
  }

  private track(p: Promise<void>): void {
    const done = p.catch(() => undefined).finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  private stateChanged(s: ConnectionState): void {
    this.note({ e: "state", state: s });
    if (s === "connected" && this.resync && this.zk) {
      this.needReload = true;
      const zk = this.zk;
      this.track(
        this.reload(zk).then(() => {
          if (zk === this.zk) this.needReload = false;
        }),
      );
    }
  }

  private async reload(zk: ZkClient): Promise<void> {
    await zk.sync(CACHE_ROOT);
    await this.refreshChildren(zk, true);
  }

  /** Naive: watches set again, answers ignored. */
  private async rearm(zk: ZkClient): Promise<void> {
    await zk.getChildren2(CACHE_ROOT, this.childWatcher(zk));
    this.armedChildren = true;
    this.note({ e: "arm", key: null });
    for (const key of [...this.entries.keys()]) {
      const t0 = this.now();
      const stat = await zk.exists(pathOf(key), this.dataWatcher(zk, key));
      this.armedData.add(key);
      this.note({
        e: "arm",
        key,
        t0,
        ...(stat ? { czxid: jsonOrdinal(stat.czxid), mzxid: jsonOrdinal(stat.mzxid) } : {}),
      });
    }
  }

  private childWatcher(zk: ZkClient) {
    return (ev: WatchEvent) => {
      if (zk !== this.zk) return;
      this.note({ e: "event", key: null, type: ev.type });
      this.armedChildren = false;
      this.track(this.refreshChildren(zk));
    };
  }

  private dataWatcher(zk: ZkClient, key: string) {
    return (ev: WatchEvent) => {
      if (zk !== this.zk) return;
      this.note({ e: "event", key, type: ev.type });
      this.armedData.delete(key);
      this.track(this.refreshData(zk, key));
    };
  }

  /** Read the child set (setting the child watch if none is set); drop the dead, read the new. */
  private async refreshChildren(zk: ZkClient, all = false): Promise<void> {
    const watch = !this.armedChildren;
    if (watch) this.armedChildren = true;
    let children: string[];
    let stat: Stat;
    const t0 = this.now();
    try {
      ({ children, stat } = await zk.getChildren2(CACHE_ROOT, watch ? this.childWatcher(zk) : undefined));
    } catch (err) {
      if (watch && zk === this.zk) this.armedChildren = false;
      if (zk === this.zk) this.retry.add(null);
      throw err;
    }
    if (zk !== this.zk) return;
    this.note({ e: "children", pzxid: jsonOrdinal(stat.pzxid), children, watch, t0 });
    const p = stat.pzxid;
    for (const [key, e] of [...this.entries]) {
      if (children.includes(key) || e.c > p) continue;
      this.entries.delete(key);
      if ((this.tombs.get(key) ?? -1n) < p) this.tombs.set(key, p);
    }
    const reads = children
      .filter((k) => all || !this.entries.has(k) || !this.armedData.has(k))
      .map((k) => this.refreshData(zk, k));
    await Promise.all(reads);
  }

  /** Read one child's data (setting its data watch if none is set) and merge it by zxid. */
  private async refreshData(zk: ZkClient, key: string): Promise<void> {
    const watch = !this.armedData.has(key);
    if (watch) this.armedData.add(key);
    let stat: Stat;
    const t0 = this.now();
    try {
      ({ stat } = await zk.getData(pathOf(key), watch ? this.dataWatcher(zk, key) : undefined));
    } catch (err) {
      if (watch && zk === this.zk) this.armedData.delete(key);
      if (err instanceof ZkError && err.code === "NONODE") {
        if (zk === this.zk) this.note({ e: "gone", key, watch: false });
        return;
      }
      if (zk === this.zk) this.retry.add(key);
      throw err;
    }
    if (zk !== this.zk) return;
    this.note({
      e: "data",
      key,
      czxid: jsonOrdinal(stat.czxid),
      mzxid: jsonOrdinal(stat.mzxid),
      watch,
      t0,
    });
    const cur = this.entries.get(key);
    if (stat.czxid <= (this.tombs.get(key) ?? -1n)) return;
    if (cur && (cur.c > stat.czxid || (cur.c === stat.czxid && cur.m >= stat.mzxid))) return;
    this.entries.set(key, { c: stat.czxid, m: stat.mzxid });
  }
}
