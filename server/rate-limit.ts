const clock = () => performance.now();

/** A token bucket: `burst` units (messages, bytes, structs) at once, refilled at `rate` per second. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    // One clock for all: a default written as an arrow here would be a closure in every bucket, three per connection.
    private readonly now: () => number = clock,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Whether it has refilled to its burst, as a new bucket would be. */
  full(): boolean {
    return this.tokens + ((this.now() - this.last) / 1000) * this.rate >= this.burst;
  }

  take(cost = 1): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
}
