package nl.beeldzorg.bench;

import java.time.Duration;
import java.util.List;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Drives pairs of peers: each peer sends its next ~300-byte ICE frame only when its
 * partner has received the previous one (one message in flight per peer), counting
 * latency, losses and reordering.
 */
final class RelayLoad {

	private final Histogram latency = new ConcurrentHistogram(3);

	private volatile boolean measuring;

	/**
	 * The figures of one run.
	 *
	 * @param messagesPerSecond messages received per second while measuring
	 * @param p50 median latency, µs
	 * @param p99 µs
	 * @param p999 µs
	 * @param sent messages sent in the whole run
	 * @param received messages received in the whole run
	 * @param lost messages that never arrived
	 * @param reordered messages that arrived after a later one
	 */
	record Figures(double messagesPerSecond, long p50, long p99, long p999, long sent, long received, long lost,
			long reordered) {
	}

	Figures run(List<Peer[]> pairs, Duration warmUp, Duration measure) throws InterruptedException {
		for (Peer[] pair : pairs) {
			pair[0].handler = (frame) -> received(pair[0], pair[1], frame);
			pair[1].handler = (frame) -> received(pair[1], pair[0], frame);
			for (Peer peer : pair) {
				peer.running = true;
			}
		}
		for (Peer[] pair : pairs) {
			pair[0].sendNext();
			pair[1].sendNext();
		}
		Thread.sleep(warmUp.toMillis());
		long before = totalReceived(pairs);
		this.latency.reset();
		this.measuring = true;
		long start = System.nanoTime();
		Thread.sleep(measure.toMillis());
		long count = totalReceived(pairs) - before;
		double seconds = (System.nanoTime() - start) / 1e9;
		this.measuring = false;
		for (Peer[] pair : pairs) {
			pair[0].running = false;
			pair[1].running = false;
		}
		// Let the last frames in flight arrive before counting losses.
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline && outstanding(pairs) > 0) {
			Thread.sleep(50);
		}
		long sent = 0;
		long received = 0;
		long reordered = 0;
		for (Peer[] pair : pairs) {
			for (Peer peer : pair) {
				sent += peer.sent.get();
				synchronized (peer) {
					received += peer.received;
					reordered += peer.reordered;
				}
			}
		}
		return new Figures(count / seconds, this.latency.getValueAtPercentile(50) / 1000,
				this.latency.getValueAtPercentile(99) / 1000, this.latency.getValueAtPercentile(99.9) / 1000, sent,
				received, sent - received, reordered);
	}

	private void received(Peer receiver, Peer sender, String frame) {
		long seq = Peer.seq(frame);
		if (seq < 0) {
			return;
		}
		long sentAt = Peer.time(frame);
		synchronized (receiver) {
			if (seq != receiver.lastReceived + 1) {
				receiver.reordered++;
			}
			receiver.lastReceived = Math.max(receiver.lastReceived, seq);
			receiver.received++;
		}
		if (this.measuring) {
			this.latency.recordValue(Math.max(0, System.nanoTime() - sentAt));
		}
		sender.sendNext();
	}

	private static long totalReceived(List<Peer[]> pairs) {
		long total = 0;
		for (Peer[] pair : pairs) {
			for (Peer peer : pair) {
				synchronized (peer) {
					total += peer.received;
				}
			}
		}
		return total;
	}

	private static long outstanding(List<Peer[]> pairs) {
		long sent = 0;
		for (Peer[] pair : pairs) {
			sent += pair[0].sent.get() + pair[1].sent.get();
		}
		return sent - totalReceived(pairs);
	}

}
