package nl.beeldzorg.glasses;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Time that moves only when the code under test waits; the waits are recorded. */
final class FakeClock implements DeviceGrantClient.Clock {

	volatile long now = 1_000_000;

	final List<Long> sleeps = new CopyOnWriteArrayList<>();

	@Override
	public long millis() {
		return this.now;
	}

	@Override
	public void sleep(long millis) throws InterruptedException {
		if (Thread.interrupted()) {
			throw new InterruptedException();
		}
		this.sleeps.add(millis);
		this.now += millis;
	}

}
