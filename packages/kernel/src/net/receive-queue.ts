// What a socket has received and not yet read: messages in arrival order, each with the
// address it came from (datagrams). Stream sockets read across message boundaries.
import type { FileDescription, Sockaddr } from "@nanots/syscalls";

/** One received message. */
export interface Message {
  data: Uint8Array;
  /** Who sent it (datagram sockets). */
  from?: Sockaddr | undefined;
  /** Descriptions passed with it (SCM_RIGHTS), until delivered. */
  rights?: FileDescription[] | undefined;
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

  /**
   * Bytes one stream read may take: across messages, but not into one that carries fds after
   * others (as Linux, fds arrive with the bytes they were sent with).
   */
  streamSpan(): number {
    let bytes = 0;
    for (const [k, m] of this.messages.entries()) {
      if (k > 0 && m.rights !== undefined) break;
      bytes += m.data.length;
      if (m.rights !== undefined) break;
    }
    return bytes;
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

  /** Drops everything; `dropRights` gets the fds of unread messages. */
  clear(dropRights: (rights: FileDescription[]) => void): void {
    for (const m of this.messages) if (m.rights !== undefined) dropRights(m.rights);
    this.messages.length = 0;
    this.bytes = 0;
  }
}
