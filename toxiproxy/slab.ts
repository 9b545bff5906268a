/**
 * Read buffers for the sockets we dial (net.connect's `onread`), so a read can take up to megabytes in one
 * syscall and its bytes go on to the other socket without a copy. Each socket reads into its own region,
 * advancing through it and never reusing bytes already handed out; the regions of a socket that keeps
 * filling its buffer grow (64 KiB up to 4 MiB), so idle and chatty connections stay small.
 */
const MIN_REGION = 64 << 10;
const MAX_REGION = 4 << 20;
const MIN_READ = 16 << 10;

export class ReadBuffers {
  private region = Buffer.allocUnsafe(MIN_REGION);
  private offset = 0;
  private size = MIN_REGION;

  /** The buffer for the next read (onread.buffer). */
  readonly next = (): Buffer => {
    if (this.region.length - this.offset < MIN_READ) {
      this.region = Buffer.allocUnsafe(this.size);
      this.offset = 0;
    }
    return this.region.subarray(this.offset);
  };

  /** The `n` bytes just read into `buffer` (the last one `next` gave); they are never overwritten. */
  take(buffer: Uint8Array, n: number): Buffer {
    const data = Buffer.from(buffer.buffer, buffer.byteOffset, n);
    if (buffer.buffer === this.region.buffer) this.offset += n;
    if (n === buffer.length && this.size < MAX_REGION) this.size *= 2;
    return data;
  }
}

/** A copy when `data` is a small view pinning a much larger region (for data a toxic may hold a while). */
export function unpin(data: Buffer): Buffer {
  return data.buffer.byteLength > MIN_REGION && data.length * 16 < data.buffer.byteLength
    ? Buffer.from(data)
    : data;
}
