import { statSync } from "node:fs";
import { join } from "node:path";
import { BadInputError, EXIT } from "../../../kernel/errors.ts";
import { logger } from "../../../kernel/log.ts";
import { writeResultsIndex } from "../../../report/results-index.ts";
import { isRunDir } from "../../../report/run-files.ts";
import { listenFailed, untilStopped } from "../foreground.ts";
import { serveResults } from "../../../report/serve.ts";

/** `zk-chaos serve [DIR]`: browse results over HTTP until interrupted; refreshes DIR/index.html first. */
export async function serveCommand(dir: string, opts: { host: string; port: number }): Promise<number> {
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!ok) throw new BadInputError(`${dir}: no such folder`);
  if (!isRunDir(dir)) {
    try {
      writeResultsIndex([dir], join(dir, "index.html"));
    } catch (err) {
      logger("serve").warn({ err: String(err) }, "could not refresh index.html");
    }
  }
  let served;
  try {
    served = await serveResults({ root: dir, host: opts.host, port: opts.port });
  } catch (err) {
    listenFailed(err, opts.host, opts.port);
  }
  process.stdout.write(`serving ${dir} at ${served.url} (Ctrl-C to stop)\n`);
  await untilStopped();
  await served.close();
  return EXIT.valid;
}
