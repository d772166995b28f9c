package nl.beeldzorg.support;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Listens to {@code GET /api/v1/events} as one user over real HTTP.
 */
public final class SseTestClient implements AutoCloseable {

	private final BlockingQueue<ServerSentEvent<JsonNode>> events = new LinkedBlockingQueue<>();

	private final java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);

	private final Disposable subscription;

	/**
	 * @param port the application's port
	 * @param accessToken the user's bearer token
	 */
	public SseTestClient(int port, String accessToken) {
		this(port, accessToken, "/api/v1/events");
	}

	/**
	 * @param port the application's port
	 * @param accessToken the user's bearer token
	 * @param path the stream's path and query, e.g. {@code /api/v1/events?glasses=…}
	 */
	public SseTestClient(int port, String accessToken, String path) {
		this.subscription = WebClient.create("http://127.0.0.1:" + port)
			.get()
			.uri(path)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.headers((headers) -> headers.setBearerAuth(accessToken))
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<JsonNode>>() {
			})
			.doOnNext((event) -> this.connected.countDown())
			.filter((event) -> event.event() != null)
			.doOnNext((event) -> this.received.add(event.event()))
			.subscribe(this.events::add);
	}

	/**
	 * @param name the event name, e.g. {@code consult.ringing}
	 * @return the data of the next event with that name, within 10 s
	 */
	public JsonNode next(String name) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		try {
			while (true) {
				long left = deadline - System.nanoTime();
				ServerSentEvent<JsonNode> event = this.events.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
				if (event == null) {
					throw new AssertionError("No '" + name + "' event within 10 s");
				}
				if (name.equals(event.event()) && event.data() != null) {
					return event.data();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/**
	 * Waits until the server opened the stream (its first comment arrived), so that
	 * events from now on reach it.
	 * @return this client
	 */
	public SseTestClient awaitConnected() {
		try {
			if (!this.connected.await(10, TimeUnit.SECONDS)) {
				throw new AssertionError("The event stream did not open within 10 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
		return this;
	}

	/**
	 * @return the names of all events received so far, in order (whether or not
	 * {@link #next} took them)
	 */
	public java.util.List<String> received() {
		return java.util.List.copyOf(this.received);
	}

	@Override
	public void close() {
		this.subscription.dispose();
	}

}
