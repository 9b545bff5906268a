import type { CampaignCliOptions } from "../program.ts";
import { SetupError } from "../../core/errors.ts";

// Placeholder until implemented.
export async function campaignCommand(opts: CampaignCliOptions): Promise<number> {
  void [opts];
  throw new SetupError("campaign is not implemented yet");
}
