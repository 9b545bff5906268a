/** `f`'s result once it stops throwing (tried every 250 ms), or its last error after `timeoutMs`. */
export async function eventually<T>(f: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await f();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
