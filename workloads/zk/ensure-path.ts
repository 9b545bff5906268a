import type { ZkClient } from "./client.ts";
import { ZkError } from "./errors.ts";

/** Create a persistent node unless it exists already (idempotent set-up of a recipe's parent nodes). */
export async function ensurePath(zk: ZkClient, path: string): Promise<void> {
  try {
    await zk.create(path, null, "persistent");
  } catch (err) {
    if (!(err instanceof ZkError && err.code === "NODEEXISTS")) throw err;
  }
}
