package nl.beeldzorg.signalling;

import java.util.AbstractQueue;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The frames waiting for one client: bounded, but allocating only per queued frame,
 * because an idle connection (nearly all of them) should cost almost nothing. A pre-sized
 * array queue would cost kilobytes per connection at 10,000 connections.
 */
final class OutboundQueue extends AbstractQueue<String> {

	private final ConcurrentLinkedQueue<String> frames = new ConcurrentLinkedQueue<>();

	private final AtomicInteger size = new AtomicInteger();

	private final int capacity;

	OutboundQueue(int capacity) {
		this.capacity = capacity;
	}

	@Override
	public boolean offer(String frame) {
		if (this.size.incrementAndGet() > this.capacity) {
			this.size.decrementAndGet();
			return false;
		}
		this.frames.offer(frame);
		return true;
	}

	@Override
	public @Nullable String poll() {
		String frame = this.frames.poll();
		if (frame != null) {
			this.size.decrementAndGet();
		}
		return frame;
	}

	@Override
	public @Nullable String peek() {
		return this.frames.peek();
	}

	@Override
	public int size() {
		return this.size.get();
	}

	@Override
	public boolean isEmpty() {
		return this.frames.isEmpty();
	}

	@Override
	public Iterator<String> iterator() {
		return this.frames.iterator();
	}

}
