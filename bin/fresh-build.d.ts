export declare const BUILD_ENTRY: string;
export declare const BUILD_MANIFEST: string;
export declare function isBuildFresh(
  manifest: unknown,
  mtimeOf: (file: string) => number | undefined,
): boolean;
export declare function freshBuildEntry(root: string): string | undefined;
