package nl.beeldzorg.glasses;

import java.util.Random;

/**
 * How long to wait before the next reconnect of the event stream: doubling from one
 * second to at most a minute, each wait drawn between half and the whole of it (so a
 * ward's glasses do not all come back at once after the backend restarts), and from the
 * start again once a connection held.
 */
public final class Backoff {

	private final long initialMillis;

	private final long maxMillis;

	private final Random random;

	private int failures;

	public Backoff(long initialMillis, long maxMillis, Random random) {
		if (initialMillis <= 0 || maxMillis < initialMillis) {
			throw new IllegalArgumentException("initial " + initialMillis + ", max " + maxMillis);
		}
		this.initialMillis = initialMillis;
		this.maxMillis = maxMillis;
		this.random = random;
	}

	public static Backoff standard() {
		return new Backoff(1000, 60_000, new Random());
	}

	/**
	 * The wait after one more failure in a row.
	 * @return milliseconds
	 */
	public synchronized long nextDelayMillis() {
		long ceiling = this.initialMillis << Math.min(this.failures, 30);
		if (ceiling > this.maxMillis || ceiling <= 0) {
			ceiling = this.maxMillis;
		}
		this.failures++;
		long half = ceiling / 2;
		return half + (long) (this.random.nextDouble() * (ceiling - half + 1));
	}

	/** A connection held: the next failure waits the initial time again. */
	public synchronized void reset() {
		this.failures = 0;
	}

	public synchronized int failures() {
		return this.failures;
	}

}
