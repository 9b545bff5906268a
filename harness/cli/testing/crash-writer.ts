/**
 * Test fixture (crash-safety.test.ts): records ops into a run folder as a run does — history.jsonl through
 * HistoryWriter, resource.jsonl through ResourceServer — printing each op's number once both are written,
 * until it is killed. Usage: tsx crash-writer.ts DIR
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { monotonicClock } from "../../../kernel/clock.ts";
import { ResourceServer } from "../../resource/resource-server.ts";
import { HistoryWriter } from "../../history/writer.ts";

const dir = process.argv[2]!;
writeFileSync(join(dir, "test.json"), JSON.stringify({ workload: "register", variant: "sync" }));
const clock = monotonicClock();
const history = new HistoryWriter(join(dir, "history.jsonl"));
const resource = new ResourceServer({ fenced: false, logPath: join(dir, "resource.jsonl"), clock });
await resource.start();
for (let i = 0; ; i++) {
  history.append({ time: clock.now(), type: "invoke", process: 0, f: "write", value: i % 5 });
  resource.access({ op: "write", key: "k", holder: "c0", value: i % 5 });
  history.append({ time: clock.now(), type: "ok", process: 0, f: "write", value: i % 5 });
  process.stdout.write(`${i}\n`);
  if (i % 50 === 0) await new Promise((r) => setImmediate(r));
}
