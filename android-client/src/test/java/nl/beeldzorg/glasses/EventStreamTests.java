package nl.beeldzorg.glasses;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import static nl.beeldzorg.glasses.FakeBackend.json;
import static org.assertj.core.api.Assertions.assertThat;

public class EventStreamTests {

	private FakeBackend backend;

	private final FakeClock clock = new FakeClock();

	private final TokenStore store = new TokenStore.InMemory();

	private Session session;

	@Before
	public void start() throws IOException {
		this.backend = new FakeBackend();
		this.session = new Session(this.store, new DeviceGrantClient(new Http.UrlConnection(), this.clock), this.clock);
		this.session.signedIn(new Tokens("at-1", null, Long.MAX_VALUE / 2, this.backend.origin() + "/oauth/token",
				"beeldzorg-glasses"));
	}

	@After
	public void stop() {
		this.backend.close();
	}

	static FakeBackend.Reply stream(String... lines) {
		return (exchange) -> {
			exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				for (String line : lines) {
					out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
					out.flush();
				}
			}
		};
	}

	/** Records what the stream tells, in order. */
	static final class Recorder implements EventStream.Listener {

		final List<String> told = new CopyOnWriteArrayList<>();

		@Override
		public void onOpen() {
			this.told.add("open");
		}

		@Override
		public void onEvent(String name, String data) {
			this.told.add(name + " " + data);
		}

		@Override
		public void onDrop(long delayMillis) {
			this.told.add("drop");
		}

		@Override
		public void onStopped(String reason) {
			this.told.add("stopped " + reason);
		}

	}

	@Test
	public void reconnectsWithBackoffAfterEachDropAndStopsWhenReplaced() {
		this.backend.on("/api/v1/events", json(503, "{}"), json(502, "{}"),
				stream(": keep-alive", "", "event: consult.ringing", "data: {\"id\":\"c1\"}", ""),
				stream("event: stream.closed", "data: {\"code\":\"events.too-many-streams\"}", ""));
		Recorder recorder = new Recorder();
		new EventStream(this.backend.origin(), this.session, new Backoff(1000, 60_000, new Random(3)), this.clock)
			.run(recorder);
		assertThat(recorder.told).containsExactly("drop", "drop", "open", "consult.ringing {\"id\":\"c1\"}", "drop",
				"open", "stream.closed {\"code\":\"events.too-many-streams\"}", "stopped replaced");
		// Two failures in a row wait longer; a stream that held starts the backoff over.
		assertThat(this.clock.sleeps).hasSize(3);
		assertThat(this.clock.sleeps.get(0)).isBetween(500L, 1000L);
		assertThat(this.clock.sleeps.get(1)).isBetween(1000L, 2000L);
		assertThat(this.clock.sleeps.get(2)).isBetween(500L, 1000L);
		List<FakeBackend.Request> requests = this.backend.requestsTo("/api/v1/events");
		assertThat(requests).hasSize(4);
		assertThat(requests).allSatisfy((request) -> assertThat(request.authorization).isEqualTo("Bearer at-1"));
	}

	@Test
	public void signedOutGlassesDoNotConnect() {
		this.session.signOut();
		Recorder recorder = new Recorder();
		new EventStream(this.backend.origin(), this.session, Backoff.standard(), this.clock).run(recorder);
		assertThat(recorder.told).containsExactly("stopped signed-out");
		assertThat(this.backend.requests).isEmpty();
	}

	@Test
	public void stopEndsAnOpenStream() throws Exception {
		// The backend writes a keep-alive comment now and then, as the real one does.
		this.backend.on("/api/v1/events", (exchange) -> {
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				for (int i = 0; i < 200; i++) {
					out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
					out.flush();
					Thread.sleep(100);
				}
			}
			catch (IOException | InterruptedException ex) {
				// the client went away
			}
		});
		Recorder recorder = new Recorder();
		EventStream stream = new EventStream(this.backend.origin(), this.session, Backoff.standard(), this.clock);
		Thread thread = new Thread(() -> stream.run(recorder));
		thread.start();
		long deadline = System.currentTimeMillis() + 10_000;
		while (!recorder.told.contains("open") && System.currentTimeMillis() < deadline) {
			Thread.sleep(20);
		}
		stream.stop();
		thread.join(5000);
		assertThat(thread.isAlive()).isFalse();
		assertThat(recorder.told).containsExactly("open", "stopped stopped");
	}

}
