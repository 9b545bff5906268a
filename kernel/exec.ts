import { spawn } from "node:child_process";

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a program with an argument array (never a shell string built from input). `onLine` sees each stdout
 * and stderr line as it comes, for progress.
 */
export function execFile(
  file: string,
  args: readonly string[],
  opts: { onLine?: (line: string) => void; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = opts.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs) : undefined;
    const feed = (sink: "out" | "err") => {
      let partial = "";
      return (chunk: Buffer) => {
        const text = chunk.toString("utf8");
        if (sink === "out") stdout += text;
        else stderr += text;
        if (!opts.onLine) return;
        const lines = (partial + text).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) opts.onLine(line);
      };
    };
    child.stdout.on("data", feed("out"));
    child.stderr.on("data", feed("err"));
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Whether an executable is on PATH. */
export async function onPath(name: string): Promise<boolean> {
  try {
    const r = await execFile("sh", ["-c", 'command -v "$1"', "sh", name]);
    return r.code === 0;
  } catch {
    return false;
  }
}
