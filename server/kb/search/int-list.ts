// A growable list of 32-bit integers: flat arrays of millions of entries while training, without the
// garbage collector walking a JavaScript array of numbers (or an array per row) each time it runs.
export class IntList {
  private array = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.array.length) {
      const bigger = new Int32Array(this.array.length * 2);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.length++] = value;
  }

  get(i: number): number {
    return this.array[i];
  }

  set(i: number, value: number): void {
    this.array[i] = value;
  }

  /** the values, without a copy (for temporary use: later pushes may or may not show in it) */
  view(): Int32Array {
    return this.array.subarray(0, this.length);
  }

  /** the values, in an array of their own */
  toArray(): Int32Array {
    return this.array.slice(0, this.length);
  }
}
