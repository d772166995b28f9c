package nl.beeldzorg.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.SignallingTestClient;
import nl.beeldzorg.support.SseTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slow or greedy client cannot hold the server: over real sockets, a request head
 * dribbled a byte at a time is cut off at the header deadline with 408, a dribbled body
 * at the request timeout, an idle connection closed, a socket that never joins gets
 * {@code signalling.join-timeout}, and a user's surplus event stream closes the oldest.
 * Long-lived streams and joined sockets outlive every one of these limits. The limits are
 * short here (seconds) so the test is quick; the defaults are in
 * {@code application.properties}.
 */
class SlowAndGreedyClientsTests extends DemoApplicationTests {

	@Autowired
	EventStreamLimit streamLimit;

	@DynamicPropertySource
	static void limits(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-edges");
		registry.add("beeldzorg.database.url", () -> url);
		registry.add("beeldzorg.connections.request-header-timeout", () -> "2s");
		registry.add("beeldzorg.connections.request-read-timeout", () -> "1s");
		registry.add("beeldzorg.connections.request-timeout", () -> "3s");
		registry.add("beeldzorg.connections.max-event-streams-per-user", () -> "2");
		registry.add("beeldzorg.signalling.join-timeout", () -> "2s");
	}

	@Test
	void requestHeadDribbledAByteAtATimeIsCutOffWith408AtTheHeaderDeadline() throws Exception {
		try (Socket socket = connect()) {
			long start = System.nanoTime();
			AtomicInteger dribbled = new AtomicInteger();
			Thread dribbler = daemon(() -> {
				byte[] head = ("GET /api/v1/client-config HTTP/1.1\r\nHost: localhost\r\n" + "X-Padding: "
						+ "a".repeat(500) + "\r\n")
					.getBytes(StandardCharsets.US_ASCII);
				try {
					OutputStream out = socket.getOutputStream();
					for (byte b : head) {
						out.write(b);
						out.flush();
						dribbled.incrementAndGet();
						Thread.sleep(100);
					}
				}
				catch (IOException | InterruptedException ex) {
					// The server closed the connection: what the test waits for.
				}
			});
			String answer = readUntilClosed(socket, Duration.ofSeconds(10));
			double seconds = (System.nanoTime() - start) / 1e9;
			dribbler.interrupt();
			assertThat(answer).startsWith("HTTP/1.1 408")
				.contains("application/problem+json")
				.contains("\"code\":\"request.timeout\"");
			assertThat(seconds).isBetween(1.8, 4.0);
			// Bytes kept coming the whole time: an idle timeout would never have fired.
			assertThat(dribbled.get()).isGreaterThan(12);
		}
	}

	@Test
	void connectionThatSendsNothingIsClosedWithoutAWord() throws Exception {
		try (Socket socket = connect()) {
			long start = System.nanoTime();
			String answer = readUntilClosed(socket, Duration.ofSeconds(10));
			assertThat(answer).isEmpty();
			assertThat((System.nanoTime() - start) / 1e9).isBetween(1.8, 4.0);
		}
	}

	@Test
	void keptAliveConnectionServesPromptRequestsAndIsClosedWhenIdle() throws Exception {
		try (Socket socket = connect()) {
			String request = "GET /api/v1/client-config HTTP/1.1\r\nHost: localhost\r\n\r\n";
			for (int i = 0; i < 3; i++) {
				socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
				String response = readResponse(socket);
				assertThat(response).startsWith("HTTP/1.1 200").contains("\"signIn\"");
				// Under the header deadline between requests: the connection stays.
				Thread.sleep(1_200);
			}
			long idleFrom = System.nanoTime();
			assertThat(readUntilClosed(socket, Duration.ofSeconds(10))).isEmpty();
			assertThat((System.nanoTime() - idleFrom) / 1e9).isLessThan(2.5);
		}
	}

	@Test
	void requestBodyThatPausesOrDribblesIsCutOffWith408() throws Exception {
		String head = "POST /demo/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Content-Length: 400\r\n\r\n";
		// A pause longer than the read timeout (1 s).
		try (Socket socket = connect()) {
			long start = System.nanoTime();
			socket.getOutputStream().write((head + "{\"username\":").getBytes(StandardCharsets.US_ASCII));
			String answer = readUntilClosed(socket, Duration.ofSeconds(10));
			assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request.timeout\"");
			assertThat((System.nanoTime() - start) / 1e9).isBetween(0.8, 3.0);
		}
		// Bytes every half second: never idle for a second, but over the request timeout
		// (3 s) in all.
		try (Socket socket = connect()) {
			long start = System.nanoTime();
			socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
			Thread dribbler = daemon(() -> {
				try {
					for (int i = 0; i < 400; i++) {
						socket.getOutputStream().write(' ');
						socket.getOutputStream().flush();
						Thread.sleep(500);
					}
				}
				catch (IOException | InterruptedException ex) {
					// Closed by the server.
				}
			});
			String answer = readUntilClosed(socket, Duration.ofSeconds(10));
			dribbler.interrupt();
			assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request.timeout\"");
			assertThat((System.nanoTime() - start) / 1e9).isBetween(2.8, 5.0);
		}
	}

	@Test
	void socketThatNeverJoinsGetsJoinTimeoutAndIsClosed() {
		try (SignallingTestClient socket = SignallingTestClient.connect(this.port)) {
			long start = System.nanoTime();
			socket.send("{\"type\":\"ping\"}");
			assertThat(socket.next().get("type").asString()).isEqualTo("pong");
			JsonNode error = socket.next(Duration.ofSeconds(10));
			assertThat(error.get("type").asString()).isEqualTo("error");
			assertThat(error.get("code").asString()).isEqualTo("signalling.join-timeout");
			assertThat(socket.awaitClosed(Duration.ofSeconds(5))).isTrue();
			assertThat((System.nanoTime() - start) / 1e9).isBetween(1.8, 4.0);
		}
	}

	@Test
	void joinedSocketAndOpenEventStreamOutliveEveryTimeout() throws Exception {
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		SseTestClient events = this.api.present(sophie);
		JsonNode started = this.api
			.post("/api/v1/consults", nurse,
					Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-EDGE-1", "urgency",
							"URGENT", "requestedDiscipline", "SO", "consultantId", this.api.userId("so.sophie")),
					HttpStatus.CREATED);
		try (events; SignallingTestClient socket = SignallingTestClient.connect(this.port)) {
			assertThat(socket.join(started.get("join").get("token").asString()).get("type").asString())
				.isEqualTo("joined");
			// Longer than the join timeout, the header deadline and the request timeout.
			Thread.sleep(4_500);
			socket.send("{\"type\":\"ping\"}");
			assertThat(socket.next().get("type").asString()).isEqualTo("pong");
			assertThat(this.streamLimit.openStreams(this.api.userId("so.sophie"))).isEqualTo(1);
			this.api.post("/api/v1/consults/" + started.get("id").asString() + "/cancel", nurse, HttpStatus.OK);
			assertThat(events.next("consult.cancelled").get("id").asString()).isEqualTo(started.get("id").asString());
		}
	}

	@Test
	void aUsersThirdEventStreamClosesHerOldestWhichIsToldWhy() {
		String nurse = this.api.token("nurse.anna");
		String otherNurse = this.api.token("nurse.bram");
		String anna = this.api.userId("nurse.anna");
		try (SseTestClient first = new SseTestClient(this.port, nurse);
				SseTestClient other = new SseTestClient(this.port, otherNurse)) {
			first.awaitConnected();
			other.awaitConnected();
			try (SseTestClient second = new SseTestClient(this.port, nurse)) {
				second.awaitConnected();
				assertThat(this.streamLimit.openStreams(anna)).isEqualTo(2);
				assertThat(first.received()).doesNotContain(EventStreamLimit.CLOSED_EVENT);
				try (SseTestClient third = new SseTestClient(this.port, nurse)) {
					third.awaitConnected();
					JsonNode closed = first.next(EventStreamLimit.CLOSED_EVENT);
					assertThat(closed.get("code").asString()).isEqualTo("events.too-many-streams");
					assertThat(closed.get("maxStreams").asInt()).isEqualTo(2);
					awaitOpenStreams(anna, 2);
					assertThat(second.received()).doesNotContain(EventStreamLimit.CLOSED_EVENT);
					assertThat(third.received()).doesNotContain(EventStreamLimit.CLOSED_EVENT);
					assertThat(other.received()).doesNotContain(EventStreamLimit.CLOSED_EVENT);
					assertThat(this.streamLimit.openStreams(this.api.userId("nurse.bram"))).isEqualTo(1);
				}
			}
			awaitOpenStreams(anna, 0);
		}
	}

	private static Thread daemon(Runnable task) {
		Thread thread = new Thread(task, "dribbler");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private void awaitOpenStreams(String userId, int expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (this.streamLimit.openStreams(userId) != expected && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.streamLimit.openStreams(userId)).isEqualTo(expected);
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5_000);
		return socket;
	}

	/** Reads until the server closes the connection, at most {@code within}. */
	private static String readUntilClosed(Socket socket, Duration within) throws IOException {
		socket.setSoTimeout((int) within.toMillis());
		InputStream in = socket.getInputStream();
		StringBuilder text = new StringBuilder();
		byte[] buffer = new byte[4096];
		try {
			for (int read; (read = in.read(buffer)) != -1;) {
				text.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
			}
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("The server did not close the connection within " + within + "; got: " + text);
		}
		catch (IOException ex) {
			// Reset by the server: closed too.
		}
		return text.toString();
	}

	/** Reads one response with a Content-Length body. */
	private static String readResponse(Socket socket) throws IOException {
		socket.setSoTimeout(5_000);
		InputStream in = socket.getInputStream();
		StringBuilder text = new StringBuilder();
		int contentLength = -1;
		int headEnd = -1;
		byte[] buffer = new byte[4096];
		while (headEnd < 0 || text.length() < headEnd + 4 + contentLength) {
			int read = in.read(buffer);
			if (read == -1) {
				throw new AssertionError("Closed mid-response: " + text);
			}
			text.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
			if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
				String head = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
				int at = head.indexOf("content-length:");
				assertThat(at).as("content-length in " + head).isNotNegative();
				contentLength = Integer.parseInt(head.substring(at + 15).split("\r\n")[0].trim());
			}
		}
		return text.toString();
	}

}
