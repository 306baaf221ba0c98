/** A one-line progress bar redrawn in place with `\r` (for a terminal). */
export class ProgressBar {
  readonly #write: (text: string) => void;
  readonly #label: string;
  #last = -1;

  constructor(write: (text: string) => void, label: string) {
    this.#write = write;
    this.#label = label;
  }

  /** Redraws when the percentage changed. */
  update(done: number, total: number): void {
    const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
    if (percent === this.#last) return;
    this.#last = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    const mb = (n: number): string => (n / 1048576).toFixed(1);
    this.#write(`\r${this.#label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${percent}% ${mb(done)}/${mb(total)} MB`);
  }

  /** Ends the line. */
  done(): void {
    if (this.#last >= 0) this.#write("\n");
  }
}
