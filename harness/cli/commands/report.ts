import { join, relative } from "node:path";
import { EXIT } from "../../core/errors.ts";
import { writeReport } from "../../../report/report-page.ts";

/** `zk-chaos report RUN_DIR`: rebuild RUN_DIR/report.html from the stored files (bad folder: exit 254). */
export async function reportCommand(dir: string): Promise<number> {
  writeReport(dir);
  process.stdout.write(`report: ${join(relative(process.cwd(), dir) || ".", "report.html")}\n`);
  return EXIT.valid;
}
