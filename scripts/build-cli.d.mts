export interface BuildManifest {
  /** Date.now() when the build started. */
  readonly builtAt: number;
  /** The files it was built from, relative to the package root. */
  readonly inputs: readonly string[];
}
export declare function buildCli(outdir?: string): Promise<BuildManifest>;
