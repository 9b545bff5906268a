import { SetupError } from "../../core/errors.ts";

// Placeholder until implemented.
export async function serveCommand(dir: string, opts: { host: string; port: number }): Promise<number> {
  void [dir, opts];
  throw new SetupError("serve is not implemented yet");
}
