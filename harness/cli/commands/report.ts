import { SetupError } from "../../core/errors.ts";

// Placeholder until implemented.
export async function reportCommand(dir: string): Promise<number> {
  void [dir];
  throw new SetupError("report is not implemented yet");
}
