import { mkdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { BadInputError, EXIT } from "../../../kernel/errors.ts";
import { writeResultsIndex } from "../../../report/results-index.ts";

/** `zk-chaos index DIR… [--out FILE]`: one index.html over the runs of one or more results folders. */
export async function indexCommand(dirs: string[], opts: { out?: string }): Promise<number> {
  if (dirs.length === 0) throw new BadInputError("index: name at least one results folder");
  for (const d of dirs) {
    let ok = false;
    try {
      ok = statSync(d).isDirectory();
    } catch {
      // reported below
    }
    if (!ok) throw new BadInputError(`${d}: no such folder`);
  }
  const out = opts.out ?? join(dirs[0]!, "index.html");
  let runs: number;
  try {
    mkdirSync(dirname(out), { recursive: true }); // e.g. a merged index beside the downloaded folders
    ({ runs } = writeResultsIndex(dirs, out));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES" || code === "EISDIR" || code === "ENOTDIR")
      throw new BadInputError(`${out}: cannot write (${code})`);
    throw err;
  }
  process.stdout.write(
    `index: ${relative(process.cwd(), out) || out} (${runs} run${runs === 1 ? "" : "s"})\n`,
  );
  return EXIT.valid;
}
