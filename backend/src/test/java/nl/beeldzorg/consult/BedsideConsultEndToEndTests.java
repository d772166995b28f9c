package nl.beeldzorg.consult;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.SignallingTestClient;
import nl.beeldzorg.support.SseTestClient;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bedside consult end to end in demo mode (embedded H2, demo issuer): real HTTP, real
 * SSE, two real WebSocket clients.
 */
class BedsideConsultEndToEndTests extends DemoApplicationTests {

	@org.springframework.beans.factory.annotation.Autowired
	nl.beeldzorg.security.DemoIssuer demoIssuer;

	@org.junit.jupiter.api.BeforeEach
	void consultantsOpenTheirApp() {
		present("so.sophie", "so.lotte");
	}

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-consult");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void nurseStartsSoAcceptsSignallingFlowsAndTheEndedConsultIsStoredAndAudited() {
		String nurse = token("nurse.anna");
		String sophie = token("so.sophie");
		String lotte = token("so.lotte");
		String sophieId = userId("so.sophie");
		try (SseTestClient sophieEvents = new SseTestClient(this.port, sophie)) {
			awaitSubscribed(sophie);
			JsonNode started = this.http.post()
				.uri("/api/v1/consults")
				.headers((h) -> h.setBearerAuth(nurse))
				.header("Idempotency-Key", "e2e-" + UUID.randomUUID())
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-4711", "question",
						"Wond hiel verslechterd?", "urgency", "URGENT", "requestedDiscipline", "SO"))
				.exchange()
				.expectStatus()
				.isCreated()
				.expectHeader()
				.exists("Location")
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody();
			String consultId = started.get("id").asString();
			assertThat(started.get("state").asString()).isEqualTo("RINGING");
			assertThat(started.get("ringing").findValuesAsString("userId")).contains(sophieId, userId("so.lotte"));
			assertThat(started.get("join").get("signallingUrl").asString()).isEqualTo("/ws/signalling");

			JsonNode ringing = sophieEvents.next("consult.ringing");
			assertThat(ringing.get("id").asString()).isEqualTo(consultId);
			assertThat(ringing.get("join").isNull()).isTrue();

			JsonNode inbox = get("/api/v1/consults?state=RINGING", sophie);
			assertThat(inbox.findValuesAsString("id")).contains(consultId);

			JsonNode accepted = post("/api/v1/consults/" + consultId + "/accept", sophie, HttpStatus.OK);
			assertThat(accepted.get("state").asString()).isEqualTo("ACTIVE");
			assertThat(accepted.get("consultant").get("userId").asString()).isEqualTo(sophieId);
			JsonNode late = post("/api/v1/consults/" + consultId + "/accept", lotte, HttpStatus.CONFLICT);
			assertThat(late.get("code").asString()).isEqualTo("consult.already-accepted");

			try (SignallingTestClient nurseSocket = SignallingTestClient.connect(this.port);
					SignallingTestClient soSocket = SignallingTestClient.connect(this.port)) {
				JsonNode nurseJoined = nurseSocket.join(started.get("join").get("token").asString());
				assertThat(nurseJoined.get("type").asString()).isEqualTo("joined");
				assertThat(nurseJoined.get("consultId").asString()).isEqualTo(consultId);
				assertThat(nurseJoined.get("peers").isEmpty()).isTrue();
				String nursePeer = nurseJoined.get("peerId").asString();

				JsonNode soJoined = soSocket.join(accepted.get("join").get("token").asString());
				assertThat(soJoined.get("peers").get(0).get("peerId").asString()).isEqualTo(nursePeer);
				assertThat(soJoined.get("peers").get(0).get("discipline").asString()).isEqualTo("NURSE");
				String soPeer = soJoined.get("peerId").asString();
				JsonNode peerJoined = nurseSocket.next();
				assertThat(peerJoined.get("type").asString()).isEqualTo("peer-joined");
				assertThat(peerJoined.get("peer").get("peerId").asString()).isEqualTo(soPeer);

				// The later joiner offers; a forged "from" is replaced by the server.
				soSocket.send("{\"type\":\"offer\",\"to\":\"" + nursePeer + "\",\"from\":\"" + nursePeer
						+ "\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"}");
				JsonNode offer = nurseSocket.next();
				assertThat(offer.get("type").asString()).isEqualTo("offer");
				assertThat(offer.get("from").asString()).isEqualTo(soPeer);
				assertThat(offer.get("sdp").asString()).isEqualTo("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n");

				nurseSocket.send("{\"type\":\"answer\",\"to\":\"" + soPeer + "\",\"sdp\":\"v=0 answer\"}");
				JsonNode answer = soSocket.next();
				assertThat(answer.get("type").asString()).isEqualTo("answer");
				assertThat(answer.get("from").asString()).isEqualTo(nursePeer);

				nurseSocket.send("{\"type\":\"ice\",\"to\":\"" + soPeer + "\",\"candidate\":{\"candidate\":"
						+ "\"candidate:1 1 udp 2122260223 192.168.1.2 54321 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
				JsonNode ice = soSocket.next();
				assertThat(ice.get("type").asString()).isEqualTo("ice");
				assertThat(ice.get("from").asString()).isEqualTo(nursePeer);
				assertThat(ice.get("candidate").get("sdpMLineIndex").asInt()).isZero();
				soSocket.send("{\"type\":\"ice\",\"to\":\"" + nursePeer + "\",\"candidate\":{\"candidate\":"
						+ "\"candidate:2 1 udp 2122260223 10.0.0.2 40000 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
				assertThat(nurseSocket.next().get("from").asString()).isEqualTo(soPeer);

				// Both in the room, candidates exchanged: still not connected until media
				// is.
				assertThat(get("/api/v1/consults/" + consultId, nurse).get("connectedAt").isNull()).isTrue();
				soSocket.send(nl.beeldzorg.support.ApiClient.MEDIA_CONNECTED);
				JsonNode connected = awaitConnected(consultId, nurse);
				assertThat(connected.get("connectedAt").isNull()).isFalse();
				// Prometheus scrapes as a service account with the role OPERATOR.
				String scraper = this.demoIssuer.issue(new nl.beeldzorg.directory.DemoDirectory.DemoUser("prometheus",
						"prometheus", "Prometheus", null, null, null, List.of("OPERATOR")));
				// The scrape grows with every meter the shared context registered.
				String metrics = this.http.mutate()
					.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
					.build()
					.get()
					.uri("/actuator/prometheus")
					.headers((h) -> h.setBearerAuth(scraper))
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(String.class)
					.returnResult()
					.getResponseBody();
				assertThat(metrics).containsPattern("beeldzorg_signalling_peers [1-9]")
					.containsPattern("beeldzorg_signalling_rooms [1-9]");

				JsonNode ended = post("/api/v1/consults/" + consultId + "/end", nurse, HttpStatus.OK);
				assertThat(ended.get("state").asString()).isEqualTo("ENDED");
				assertThat(nurseSocket.nextOfType("ended").get("consultId").asString()).isEqualTo(consultId);
				assertThat(soSocket.nextOfType("ended").get("consultId").asString()).isEqualTo(consultId);
				assertThat(nurseSocket.awaitClosed(Duration.ofSeconds(5))).isTrue();
				assertThat(soSocket.awaitClosed(Duration.ofSeconds(5))).isTrue();
				assertThat(sophieEvents.next("consult.ended").get("id").asString()).isEqualTo(consultId);
			}

			JsonNode stored = get("/api/v1/consults/" + consultId, nurse);
			assertThat(stored.get("state").asString()).isEqualTo("ENDED");
			for (String field : List.of("createdAt", "acceptedAt", "connectedAt", "endedAt")) {
				assertThat(stored.get(field).isNull()).as(field).isFalse();
			}
			assertThat(stored.get("join").isNull()).isTrue();

			JsonNode audit = get("/api/v1/consults/" + consultId + "/audit", nurse);
			assertThat(audit.findValuesAsString("action")).contains("CREATED", "RUNG", "ACCEPTED", "JOINED", "ENDED");
			JsonNode verification = get("/api/v1/audit/verification", token("admin.ada"));
			assertThat(verification.get("firstBrokenSeq").isNull()).isTrue();
			assertThat(verification.get("records").asLong()).isGreaterThanOrEqualTo(audit.size());
		}
	}

	@Test
	void twoSosAcceptingAtOnceGiveOneWinnerAndOneConflict() {
		String nurse = token("nurse.anna");
		String sophie = token("so.sophie");
		String lotte = token("so.lotte");
		for (int round = 0; round < 5; round++) {
			String consultId = start(nurse, Map.of("kind", "BEDSIDE", "locationId", "zga-berg-en-bos", "clientRef",
					"K-" + round, "urgency", "URGENT"))
				.get("id")
				.asString();
			WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
			List<Integer> statuses = Flux.just(sophie, lotte)
				.flatMap((token) -> client.post()
					.uri("/api/v1/consults/" + consultId + "/accept")
					.headers((h) -> h.setBearerAuth(token))
					.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())))
				.collectList()
				.block(Duration.ofSeconds(20));
			assertThat(statuses).containsExactlyInAnyOrder(200, 409);
			JsonNode stored = get("/api/v1/consults/" + consultId, nurse);
			assertThat(stored.get("state").asString()).isEqualTo("ACTIVE");
			assertThat(stored.get("consultant").get("userId").asString()).isIn(userId("so.sophie"), userId("so.lotte"));
		}
	}

	@Test
	void retriedAcceptEndAndCancelAnswerAsTheFirstDid() {
		String nurse = token("nurse.anna");
		String sophie = token("so.sophie");
		String id = start(nurse,
				Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-retry", "urgency", "URGENT"))
			.get("id")
			.asString();
		JsonNode first = post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK);
		JsonNode again = post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK);
		assertThat(again.get("acceptedAt").asString()).isEqualTo(first.get("acceptedAt").asString());
		assertThat(post("/api/v1/consults/" + id + "/accept", token("so.lotte"), HttpStatus.CONFLICT).get("code")
			.asString()).isEqualTo("consult.already-accepted");
		JsonNode ended = post("/api/v1/consults/" + id + "/end", nurse, HttpStatus.OK);
		assertThat(post("/api/v1/consults/" + id + "/end", sophie, HttpStatus.OK).get("endedAt").asString())
			.isEqualTo(ended.get("endedAt").asString());
		JsonNode audit = get("/api/v1/consults/" + id + "/audit", nurse);
		assertThat(audit.findValuesAsString("action").stream().filter("ACCEPTED"::equals)).hasSize(1);
		assertThat(audit.findValuesAsString("action").stream().filter("ENDED"::equals)).hasSize(1);

		String withdrawn = start(nurse, Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef",
				"K-retry-2", "urgency", "URGENT"))
			.get("id")
			.asString();
		JsonNode cancelled = post("/api/v1/consults/" + withdrawn + "/cancel", nurse, HttpStatus.OK);
		assertThat(post("/api/v1/consults/" + withdrawn + "/cancel", nurse, HttpStatus.OK).get("endedAt").asString())
			.isEqualTo(cancelled.get("endedAt").asString());
		assertThat(this.api.get("/api/v1/consults/" + withdrawn + "/time-saved", nurse, HttpStatus.OK)
			.get("entries")
			.size()).isLessThanOrEqualTo(1);
	}

	@Test
	void fiftyConsultsStartedAtOnceAreAllCreated() {
		// Every change serialises on the audit head; on H2 the waiting happens on worker
		// threads, and a transaction must never need a free worker to finish.
		String nurse = token("nurse.anna");
		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		List<Integer> statuses = Flux.range(0, 50)
			.flatMap(
					(i) -> client.post()
						.uri("/api/v1/consults")
						.headers((h) -> h.setBearerAuth(nurse))
						.bodyValue(Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-p" + i,
								"urgency", "ROUTINE"))
						.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())),
					50)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(statuses).hasSize(50).containsOnly(201);
	}

	@Test
	void cancelWhileRingingStopsTheRingingAndDeclineByAllMakesItMissed() {
		String nurse = token("nurse.anna");
		String sophie = token("so.sophie");
		String lotte = token("so.lotte");
		try (SseTestClient sophieEvents = new SseTestClient(this.port, sophie)) {
			awaitSubscribed(sophie);
			String cancelled = start(nurse, Map.of("kind", "BEDSIDE", "locationId", "zga-de-heemhof", "clientRef",
					"K-c1", "urgency", "ROUTINE"))
				.get("id")
				.asString();
			assertThat(post("/api/v1/consults/" + cancelled + "/cancel", sophie, HttpStatus.FORBIDDEN).get("code")
				.asString()).isEqualTo("consult.not-a-party");
			assertThat(post("/api/v1/consults/" + cancelled + "/cancel", nurse, HttpStatus.OK).get("state").asString())
				.isEqualTo("CANCELLED");
			assertThat(sophieEvents.next("consult.cancelled").get("id").asString()).isEqualTo(cancelled);
			assertThat(post("/api/v1/consults/" + cancelled + "/accept", sophie, HttpStatus.CONFLICT).get("code")
				.asString()).isEqualTo("consult.invalid-state");
			assertThat(get("/api/v1/consults?state=RINGING", sophie).findValuesAsString("id"))
				.doesNotContain(cancelled);
		}
		try (SseTestClient nurseEvents = new SseTestClient(this.port, nurse)) {
			awaitSubscribed(nurse);
			String declined = start(nurse, Map.of("kind", "BEDSIDE", "locationId", "zga-de-heemhof", "clientRef",
					"K-d1", "urgency", "ROUTINE"))
				.get("id")
				.asString();
			assertThat(post("/api/v1/consults/" + declined + "/decline", sophie, HttpStatus.OK).get("state").asString())
				.isEqualTo("RINGING");
			assertThat(post("/api/v1/consults/" + declined + "/accept", sophie, HttpStatus.FORBIDDEN).get("code")
				.asString()).isEqualTo("consult.not-ringing-for-you");
			assertThat(post("/api/v1/consults/" + declined + "/decline", lotte, HttpStatus.OK).get("state").asString())
				.isEqualTo("MISSED");
			assertThat(nurseEvents.next("consult.missed").get("id").asString()).isEqualTo(declined);
		}
	}

	@Test
	void idempotencyKeyReturnsTheSameConsultAndRefusesAnotherBody() {
		String nurse = token("nurse.anna");
		String key = "retry-" + UUID.randomUUID();
		Map<String, Object> body = Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-77",
				"urgency", "URGENT");
		JsonNode first = this.http.post()
			.uri("/api/v1/consults")
			.headers((h) -> h.setBearerAuth(nurse))
			.header("Idempotency-Key", key)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode again = this.http.post()
			.uri("/api/v1/consults")
			.headers((h) -> h.setBearerAuth(nurse))
			.header("Idempotency-Key", key)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(again.get("id").asString()).isEqualTo(first.get("id").asString());
		this.http.post()
			.uri("/api/v1/consults")
			.headers((h) -> h.setBearerAuth(nurse))
			.header("Idempotency-Key", key)
			.bodyValue(Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-78", "urgency",
					"URGENT"))
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("request.idempotency-key-reused");
	}

	private JsonNode start(String token, Map<String, Object> body) {
		return this.http.post()
			.uri("/api/v1/consults")
			.headers((h) -> h.setBearerAuth(token))
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private JsonNode awaitConnected(String consultId, String token) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		JsonNode consult = get("/api/v1/consults/" + consultId, token);
		while (consult.get("connectedAt").isNull() && System.nanoTime() < deadline) {
			consult = get("/api/v1/consults/" + consultId, token);
		}
		return consult;
	}

	/**
	 * An SSE subscription is live once the server has seen it; a round trip to the API
	 * orders us after it.
	 */
	private void awaitSubscribed(String token) {
		get("/api/v1/locations", token);
		get("/api/v1/locations", token);
	}

	private String token(String username) {
		return this.api.token(username);
	}

	private String userId(String username) {
		return this.api.userId(username);
	}

	private JsonNode get(String path, String token) {
		return this.api.get(path, token, HttpStatus.OK);
	}

	private JsonNode post(String path, String token, HttpStatus status) {
		return this.api.post(path, token, status);
	}

}
