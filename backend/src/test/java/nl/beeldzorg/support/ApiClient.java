package nl.beeldzorg.support;

import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The API over real HTTP as the tests use it: demo tokens, calls that expect a status and
 * return the JSON body, and a consult taken from start to a connected end.
 */
public final class ApiClient {

	/**
	 * Pooled connections are dropped after 5 s idle, before the server closes them (after
	 * its 10 s header timeout): reusing one just as the server closes it fails the
	 * request.
	 */
	private static final ReactorClientHttpConnector CONNECTOR = new ReactorClientHttpConnector(
			reactor.netty.http.client.HttpClient.create(reactor.netty.resources.ConnectionProvider.builder("api-client")
				.maxIdleTime(Duration.ofSeconds(5))
				.build()));

	private final int port;

	private final WebTestClient http;

	/**
	 * @param port the application's port
	 */
	public ApiClient(int port) {
		this.port = port;
		this.http = WebTestClient.bindToServer(CONNECTOR)
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	/**
	 * @param path an import endpoint
	 * @param token the caller's token
	 * @param csv the CSV body
	 * @param status the expected status
	 * @return the JSON answer
	 */
	public JsonNode postCsv(String path, String token, String csv, HttpStatus status) {
		return this.http.post()
			.uri(path)
			.headers((h) -> h.setBearerAuth(token))
			.contentType(org.springframework.http.MediaType.parseMediaType("text/csv"))
			.bodyValue(csv)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * Opens the consultant's event stream, as their app does, and waits until routing
	 * sees them as present (available and reachable).
	 * @param token the consultant's token
	 * @return the open stream; close it to go away
	 */
	public SseTestClient present(String token) {
		SseTestClient stream = new SseTestClient(this.port, token);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			if (get("/api/v1/me/availability", token, HttpStatus.OK).path("present").asBoolean()) {
				return stream;
			}
			Thread.onSpinWait();
		}
		stream.close();
		throw new AssertionError("The consultant did not become present within 10 s");
	}

	/**
	 * @return the underlying client, for calls that check more than status and body
	 */
	public WebTestClient http() {
		return this.http;
	}

	/**
	 * @param username a demo user
	 * @return an access token from the demo issuer
	 */
	public String token(String username) {
		return send(HttpMethod.POST, "/demo/token", null, Map.of("username", username), HttpStatus.OK)
			.get("accessToken")
			.asString();
	}

	/**
	 * @param username a demo user
	 * @return that user's id
	 */
	public String userId(String username) {
		for (JsonNode user : send(HttpMethod.GET, "/demo/users", null, null, HttpStatus.OK)) {
			if (user.get("username").asString().equals(username)) {
				return user.get("userId").asString();
			}
		}
		throw new AssertionError("no demo user " + username);
	}

	public JsonNode get(String path, String token, HttpStatus status) {
		return send(HttpMethod.GET, path, token, null, status);
	}

	public JsonNode post(String path, String token, HttpStatus status) {
		return send(HttpMethod.POST, path, token, null, status);
	}

	public JsonNode post(String path, String token, Object body, HttpStatus status) {
		return send(HttpMethod.POST, path, token, body, status);
	}

	public JsonNode put(String path, String token, Object body, HttpStatus status) {
		return send(HttpMethod.PUT, path, token, body, status);
	}

	/**
	 * One call.
	 * @param method the method
	 * @param path the path
	 * @param token bearer token, or {@code null}
	 * @param body JSON body, or {@code null}
	 * @param status the status expected
	 * @return the body as JSON
	 */
	public JsonNode send(HttpMethod method, String path, String token, Object body, HttpStatus status) {
		WebTestClient.RequestBodySpec spec = this.http.method(method).uri(path).headers((h) -> {
			if (token != null) {
				h.setBearerAuth(token);
			}
		});
		WebTestClient.RequestHeadersSpec<?> request = (body != null) ? spec.bodyValue(body) : spec;
		return request.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	/** What a client sends once its peer connection is connected (API.md v1.1). */
	public static final String MEDIA_CONNECTED = "{\"type\":\"media-state\",\"state\":\"connected\","
			+ "\"stats\":{\"rttMs\":40,\"lossPct\":0.5,\"kbpsIn\":900,\"kbpsOut\":850,\"width\":1280,"
			+ "\"height\":720,\"relay\":false}}";

	/**
	 * A consult from start to end with both parties in the room: started by the nurse for
	 * the named consultant, accepted, joined by both, media reported {@code connected}
	 * until {@code connectedAt} is set, ended.
	 * @param nurse the requester's token
	 * @param consultant the consultant's token
	 * @param consultantId the consultant's user id
	 * @param location the location
	 * @param discipline the discipline asked for
	 * @return the consult id
	 */
	public String connectedAndEnded(String nurse, String consultant, String consultantId, String location,
			String discipline) {
		JsonNode started = post(
				"/api/v1/consults", nurse, Map.of("kind", "BEDSIDE", "locationId", location, "clientRef", "K-1",
						"urgency", "URGENT", "requestedDiscipline", discipline, "consultantId", consultantId),
				HttpStatus.CREATED);
		String id = started.get("id").asString();
		JsonNode accepted = post("/api/v1/consults/" + id + "/accept", consultant, HttpStatus.OK);
		try (SignallingTestClient a = SignallingTestClient.connect(this.port);
				SignallingTestClient b = SignallingTestClient.connect(this.port)) {
			a.join(started.get("join").get("token").asString());
			b.join(accepted.get("join").get("token").asString());
			// Joins alone no longer count (API.md v1.1): the media must report connected.
			a.send(MEDIA_CONNECTED);
			b.send(MEDIA_CONNECTED);
			awaitConnected(id, nurse, a);
		}
		post("/api/v1/consults/" + id + "/end", nurse, HttpStatus.OK);
		return id;
	}

	/**
	 * Waits until the consult has {@code connectedAt}, pinging the socket between reads.
	 * @param id the consult
	 * @param token a party's token
	 * @param socket a party's socket
	 * @return the consult
	 */
	public JsonNode awaitConnected(String id, String token, SignallingTestClient socket) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		JsonNode consult = get("/api/v1/consults/" + id, token, HttpStatus.OK);
		while (consult.get("connectedAt").isNull() && System.nanoTime() < deadline) {
			if (socket != null) {
				socket.send("{\"type\":\"ping\"}").next();
			}
			consult = get("/api/v1/consults/" + id, token, HttpStatus.OK);
		}
		return consult;
	}

}
