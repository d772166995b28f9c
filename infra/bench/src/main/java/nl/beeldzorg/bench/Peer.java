package nl.beeldzorg.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * One WebSocket of the load: frames out through a serialised sink, frames in to a
 * handler. Relay frames carry {@code seq=} and {@code t=} (send time, ns) inside an ICE
 * candidate of about 300 bytes.
 */
final class Peer {

	private static final String PADDING = "x".repeat(150);

	private final Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();

	final CompletableFuture<Void> closed = new CompletableFuture<>();

	volatile Consumer<String> handler = (frame) -> {
	};

	/** Next sequence number this peer sends. */
	final AtomicLong sent = new AtomicLong();

	/** Last sequence number received from the partner. */
	long lastReceived = -1;

	long received;

	long lost;

	long reordered;

	volatile String to = "";

	volatile boolean running;

	private Disposable connection = () -> {
	};

	CompletableFuture<Void> connect(HttpClient client, String url) {
		CompletableFuture<Void> open = new CompletableFuture<>();
		this.connection = client.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
			.uri(url)
			.handle((in, outbound) -> {
				open.complete(null);
				return outbound.sendString(this.out.asFlux())
					.then()
					.and(in.receive().asString().doOnNext((frame) -> this.handler.accept(frame)).then());
			})
			.doFinally((signal) -> {
				this.closed.complete(null);
				open.completeExceptionally(new IllegalStateException("closed before open"));
			})
			.subscribe(null, (ex) -> open.completeExceptionally(ex));
		return open;
	}

	void send(String frame) {
		synchronized (this.out) {
			this.out.tryEmitNext(frame);
		}
	}

	/** Sends the next relay frame to the partner, stamped with its sequence and time. */
	void sendNext() {
		if (!this.running) {
			return;
		}
		long seq = this.sent.getAndIncrement();
		send("{\"type\":\"ice\",\"to\":\"" + this.to + "\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223"
				+ " 192.168.178.20 54321 typ host generation 0 seq=" + seq + " t=" + System.nanoTime() + " " + PADDING
				+ "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
	}

	/**
	 * @return the sequence number in a relay frame, or -1
	 */
	static long seq(String frame) {
		return number(frame, "seq=");
	}

	/**
	 * @return the send time in a relay frame
	 */
	static long time(String frame) {
		return number(frame, " t=");
	}

	private static long number(String frame, String key) {
		int at = frame.indexOf(key);
		if (at < 0) {
			return -1;
		}
		int start = at + key.length();
		int end = start;
		while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
			end++;
		}
		return Long.parseLong(frame, start, end, 10);
	}

	void close() {
		this.running = false;
		this.out.tryEmitComplete();
		this.connection.dispose();
	}

	static Duration since(long nanos) {
		return Duration.ofNanos(System.nanoTime() - nanos);
	}

}
