package nl.beeldzorg.support;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client of {@code /ws/signalling} for tests: frames out as given,
 * frames in queued; the test thread waits for them with a timeout.
 */
public final class SignallingTestClient implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final BlockingQueue<String> inbound = new LinkedBlockingQueue<>();

	private final Sinks.One<Void> closed = Sinks.one();

	private final Disposable connection;

	private SignallingTestClient(String url) {
		this.connection = HttpClient.create()
			.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(2 * 1024 * 1024).build())
			.uri(url)
			.handle((in, out) -> out.sendString(this.outbound.asFlux())
				.then()
				.and(in.receive().asString().doOnNext(this.inbound::add).then()))
			.doFinally((signal) -> this.closed.tryEmitEmpty())
			.subscribe();
	}

	/**
	 * @param port the application's port
	 * @return a connected client
	 */
	public static SignallingTestClient connect(int port) {
		return new SignallingTestClient("ws://127.0.0.1:" + port + "/ws/signalling");
	}

	/**
	 * @param frame a text frame
	 * @return this client
	 */
	public SignallingTestClient send(String frame) {
		this.outbound.tryEmitNext(frame);
		return this;
	}

	/**
	 * @param token a join token
	 * @return the {@code joined} (or {@code error}) answer
	 */
	public JsonNode join(String token) {
		send("{\"type\":\"join\",\"token\":\"" + token + "\"}");
		return next();
	}

	/**
	 * @return the next message, failing after 10 s
	 */
	public JsonNode next() {
		return next(Duration.ofSeconds(10));
	}

	/**
	 * @param timeout how long to wait
	 * @return the next message
	 */
	public JsonNode next(Duration timeout) {
		try {
			String frame = this.inbound.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (frame == null) {
				throw new AssertionError("No signalling message within " + timeout);
			}
			return json.readTree(frame);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Skips messages of other types.
	 * @param type the wanted type
	 * @return the first message of that type
	 */
	public JsonNode nextOfType(String type) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode message = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (type.equals(message.path("type").asString())) {
				return message;
			}
		}
		throw new AssertionError("No '" + type + "' message within 10 s");
	}

	/**
	 * @param within how long to wait for the server to close the socket
	 * @return whether it closed
	 */
	public boolean awaitClosed(Duration within) {
		return this.closed.asMono()
			.then(reactor.core.publisher.Mono.just(true))
			.timeout(within, reactor.core.publisher.Mono.just(false))
			.block();
	}

	/**
	 * @return messages received and not yet read
	 */
	public int pending() {
		return this.inbound.size();
	}

	/** Drops the socket without {@code leave}, like a network switch. */
	public void drop() {
		this.connection.dispose();
	}

	@Override
	public void close() {
		this.outbound.tryEmitComplete();
		this.connection.dispose();
	}

}
