// What a socket has received and not yet read: messages in arrival order, each with the
// address it came from (datagrams). Stream sockets read across message boundaries.
import type { Sockaddr } from "@nanots/syscalls";

/** One received message. */
export interface Message {
  data: Uint8Array;
  /** Who sent it (datagram sockets). */
  from?: Sockaddr | undefined;
}

/** A FIFO of messages counted in bytes. */
export class ReceiveQueue {
  private readonly messages: Message[] = [];
  /** Bytes queued. */
  bytes = 0;

  /** Messages queued. */
  get length(): number {
    return this.messages.length;
  }

  /** Appends a message. */
  push(message: Message): void {
    this.messages.push(message);
    this.bytes += message.data.length;
  }

  /** The first message, left in place. */
  peek(): Message | undefined {
    return this.messages[0];
  }

  /** Removes and returns the first message. */
  shift(): Message | undefined {
    const m = this.messages.shift();
    if (m !== undefined) this.bytes -= m.data.length;
    return m;
  }

  /** Stream reading: up to `max` bytes across messages, removed unless `peek`. */
  takeBytes(max: number, peek: boolean): Uint8Array {
    const out = new Uint8Array(Math.min(max, this.bytes));
    let done = 0;
    let k = 0;
    while (done < out.length) {
      const m = this.messages[k]!;
      const n = Math.min(m.data.length, out.length - done);
      out.set(m.data.subarray(0, n), done);
      done += n;
      if (peek) k++;
      else if (n === m.data.length) this.messages.shift();
      else m.data = m.data.subarray(n);
    }
    if (!peek) this.bytes -= out.length;
    return out;
  }

  /** Drops everything. */
  clear(): void {
    this.messages.length = 0;
    this.bytes = 0;
  }
}
