import { SetupError } from "../../core/errors.ts";

// Placeholder until implemented.
export async function indexCommand(dirs: string[], opts: { out?: string }): Promise<number> {
  void [dirs, opts];
  throw new SetupError("index-runs is not implemented yet");
}
