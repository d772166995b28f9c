package nl.beeldzorg.consult;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import nl.beeldzorg.support.SignallingTestClient;
import nl.beeldzorg.support.TestPostgres;
import nl.beeldzorg.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Production mode on the real PostgreSQL with an external issuer: a JWKS served by the
 * test and really signed tokens through the application's real decoder. Checks who may
 * see what, and that every bad input gets its code while the server keeps serving.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SecurityAndValidationTests {

	static final TestTokens issuer = new TestTokens();

	static final String database = TestPostgres.createDatabase("beeldzorg_security");

	static final String ZGA = "zga-" + UUID.randomUUID().toString().substring(0, 8);

	static final String ATLANT = "atlant-" + UUID.randomUUID().toString().substring(0, 8);

	@LocalServerPort
	int port;

	WebTestClient http;

	@DynamicPropertySource
	static void production(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.database.url", () -> database);
		registry.add("beeldzorg.database.username", () -> TestPostgres.USER);
		registry.add("beeldzorg.identity.issuer-uri", () -> TestTokens.ISSUER);
		registry.add("beeldzorg.identity.jwk-set-uri", issuer::jwkSetUri);
		registry.add("beeldzorg.identity.audience", () -> TestTokens.AUDIENCE);
		registry.add("beeldzorg.signalling.join-token-secret", () -> "a-test-secret-of-at-least-32-characters!");
	}

	@AfterAll
	static void dropDatabase() {
		issuer.close();
		TestPostgres.dropDatabase(database);
	}

	private final List<nl.beeldzorg.support.SseTestClient> openApps = new java.util.ArrayList<>();

	@BeforeEach
	void client() {
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
	}

	@Test
	void noTokenExpiredTokenAndForeignSignatureAreUnauthorized() {
		this.http.get()
			.uri("/api/v1/locations")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("auth.unauthenticated");
		String expired = issuer.sign(Map.of("sub", "n1", "discipline", "NURSE", "institution", ZGA),
				Duration.ofMinutes(-5));
		expectUnauthorized(expired);
		try (TestTokens other = new TestTokens()) {
			expectUnauthorized(other.staff("n1", "NURSE", ZGA));
		}
		expectUnauthorized("not-a-jwt");
		this.http.get()
			.uri("/api/v1/locations")
			.headers((h) -> h.setBearerAuth(issuer.staff("n1", "NURSE", ZGA)))
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void demoEndpointsDoNotExistOutsideDemoMode() {
		this.http.get().uri("/demo/users").exchange().expectStatus().isNotFound();
		this.http.post()
			.uri("/demo/token")
			.bodyValue(Map.of("username", "nurse.anna"))
			.exchange()
			.expectStatus()
			.isNotFound();
		this.http.get().uri("/").exchange().expectBody().jsonPath("$.mode").isEqualTo("production");
	}

	@Test
	void pagesAreToldToSignInAtTheIssuerWithPkceWithoutAToken() {
		this.http.get()
			.uri("/api/v1/client-config")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.mode")
			.isEqualTo("production")
			.jsonPath("$.signIn.kind")
			.isEqualTo("oidc")
			.jsonPath("$.signIn.authority")
			.isEqualTo(TestTokens.ISSUER)
			.jsonPath("$.signIn.clientId")
			.isEqualTo("beeldzorg-web")
			.jsonPath("$.iceTransportPolicy")
			.isEqualTo("all")
			.jsonPath("$.video.width")
			.isEqualTo(1280);
		this.http.get().uri("/app/").exchange().expectStatus().isOk().expectBody(String.class).value((html) -> {
			org.assertj.core.api.Assertions.assertThat(html).contains("/vendor/oidc-client-ts.min.js");
		});
		this.http.get().uri("/vendor/oidc-client-ts.min.js").exchange().expectStatus().isOk();
		this.http.get()
			.uri("/app/sw.js")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Service-Worker-Allowed", "/app/");
		this.http.get()
			.uri("/app/manifest.webmanifest")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.start_url")
			.isEqualTo("/app/");
	}

	@Test
	void consultOfAnotherInstitutionIsNotFoundAndJoinTokensAreBoundToConsultAndUser() {
		String nurse = issuer.staff("nurse-" + ZGA, "NURSE", ZGA);
		String so = issuer.staff("so-" + ZGA, "SO", ZGA);
		String foreignSo = issuer.staff("so-" + ATLANT, "SO", ATLANT);
		touch(so);
		touch(foreignSo);
		JsonNode first = start(nurse, null);
		JsonNode second = start(nurse, null);
		String id = first.get("id").asString();

		for (String path : List.of("/api/v1/consults/" + id, "/api/v1/consults/" + id + "/audit")) {
			this.http.get()
				.uri(path)
				.headers((h) -> h.setBearerAuth(foreignSo))
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectBody()
				.jsonPath("$.code")
				.isEqualTo("consult.not-found");
		}
		this.http.post()
			.uri("/api/v1/consults/" + id + "/accept")
			.headers((h) -> h.setBearerAuth(foreignSo))
			.exchange()
			.expectStatus()
			.isNotFound();
		this.http.get()
			.uri("/api/v1/consults/" + UUID.randomUUID())
			.headers((h) -> h.setBearerAuth(so))
			.exchange()
			.expectStatus()
			.isNotFound();

		JsonNode accepted = this.http.post()
			.uri("/api/v1/consults/" + id + "/accept")
			.headers((h) -> h.setBearerAuth(so))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		try (SignallingTestClient nurseSocket = SignallingTestClient.connect(this.port);
				SignallingTestClient intruder = SignallingTestClient.connect(this.port);
				SignallingTestClient forged = SignallingTestClient.connect(this.port)) {
			String nursePeer = nurseSocket.join(first.get("join").get("token").asString()).get("peerId").asString();
			// The nurse's token of the second consult does not admit anyone to the first:
			// it
			// opens the second room, where the first consult's peers are not.
			JsonNode other = intruder.join(second.get("join").get("token").asString());
			assertThat(other.get("consultId").asString()).isEqualTo(second.get("id").asString());
			intruder.send("{\"type\":\"offer\",\"to\":\"" + nursePeer + "\",\"sdp\":\"v=0\"}");
			assertThat(intruder.next().get("code").asString()).isEqualTo("signalling.not-in-room");
			// A token signed with another secret is refused and the socket closed.
			String token = accepted.get("join").get("token").asString();
			String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
			JsonNode refused = forged.join(tampered);
			assertThat(refused.get("type").asString()).isEqualTo("error");
			assertThat(refused.get("code").asString()).isEqualTo("signalling.invalid-token");
			assertThat(forged.awaitClosed(Duration.ofSeconds(5))).isTrue();
			assertThat(nurseSocket.pending()).isZero();
		}
	}

	@Test
	void everyBadBodyGetsItsCodeAndTheServerKeepsServing() {
		String nurse = issuer.staff("nurse-bad-" + ZGA, "NURSE", ZGA);
		touch(issuer.staff("so-bad-" + ZGA, "SO", ZGA));
		Map<String, String> cases = Map.of("{\"kind\":\"BEDSIDE\"", "request.malformed",
				"{\"kind\":\"VISIT\",\"clientRef\":\"K-1\",\"urgency\":\"URGENT\",\"locationId\":\"" + ZGA + "-home\"}",
				"request.invalid",
				"{\"kind\":\"BEDSIDE\",\"clientRef\":\"K-1\",\"urgency\":\"SOON\",\"locationId\":\"x\"}",
				"request.invalid", "{\"kind\":\"BEDSIDE\",\"urgency\":\"URGENT\",\"locationId\":\"x\"}",
				"request.invalid",
				"{\"kind\":\"BEDSIDE\",\"clientRef\":\"K-1\",\"urgency\":\"URGENT\",\"locationId\":\"x\",\"question\":\""
						+ "x".repeat(2001) + "\"}",
				"request.invalid",
				"{\"kind\":\"BEDSIDE\",\"clientRef\":\"123456782\",\"urgency\":\"URGENT\",\"locationId\":\"x\"}",
				"consult.client-ref-looks-like-bsn",
				"{\"kind\":\"BEDSIDE\",\"clientRef\":\"K-1\",\"urgency\":\"URGENT\",\"locationId\":\"nowhere\"}",
				"consult.unknown-location",
				"{\"kind\":\"BEDSIDE\",\"clientRef\":\"K-1\",\"urgency\":\"URGENT\",\"locationId\":\"" + ZGA
						+ "-home\",\"consultantId\":\"nobody\"}",
				"consult.unknown-consultant",
				"{\"kind\":\"BEDSIDE\",\"clientRef\":\"K-1\",\"urgency\":\"URGENT\",\"locationId\":\"" + ZGA
						+ "-home\",\"requestedDiscipline\":\"GZP\"}",
				"consult.no-consultant-available");
		cases.forEach((body, code) -> this.http.post()
			.uri("/api/v1/consults")
			.headers((h) -> h.setBearerAuth(nurse))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo(code)
			.jsonPath("$.status")
			.exists()
			.jsonPath("$.type")
			.exists()
			.jsonPath("$.title")
			.exists()
			.jsonPath("$.detail")
			.exists());
		this.http.post()
			.uri("/api/v1/consults")
			.headers((h) -> h.setBearerAuth(nurse))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"question\":\"" + "x".repeat(70_000) + "\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("request.too-large");
		start(nurse, null);
	}

	@Test
	void everyBadFrameGetsItsCodeAndTheConnectionStaysOpen() {
		String nurse = issuer.staff("nurse-ws-" + ZGA, "NURSE", ZGA);
		touch(issuer.staff("so-ws-" + ZGA, "SO", ZGA));
		JsonNode consult = start(nurse, null);
		try (SignallingTestClient socket = SignallingTestClient.connect(this.port)) {
			socket.send("{\"type\":\"offer\",\"to\":\"x\",\"sdp\":\"v=0\"}");
			assertThat(socket.next().get("code").asString()).isEqualTo("signalling.not-joined");
			String peer = socket.join(consult.get("join").get("token").asString()).get("peerId").asString();
			Map<String, String> cases = Map.of("{not json", "signalling.malformed", "{\"type\":\"dance\"}",
					"signalling.unknown-type", "{\"sdp\":\"v=0\"}", "signalling.unknown-type",
					"{\"type\":\"offer\",\"to\":\"nobody\",\"sdp\":\"v=0\"}", "signalling.not-in-room",
					"{\"type\":\"offer\",\"to\":\"" + peer + "\",\"sdp\":\"v=0\"}", "signalling.not-in-room",
					"{\"type\":\"answer\",\"sdp\":\"v=0\"}", "signalling.invalid-message",
					"{\"type\":\"ice\",\"to\":\"x\",\"candidate\":\"not an object\"}", "signalling.invalid-message",
					"{\"type\":\"pong\"}", "signalling.not-allowed", "{\"type\":\"join\",\"token\":\"again\"}",
					"signalling.already-joined",
					"{\"type\":\"ice\",\"to\":\"x\",\"candidate\":{\"candidate\":\"" + "a".repeat(70_000) + "\"}}",
					"signalling.frame-too-large");
			cases.forEach((frame, code) -> {
				socket.send(frame);
				JsonNode error = socket.next();
				assertThat(error.get("type").asString()).as(frame).isEqualTo("error");
				assertThat(error.get("code").asString()).as(frame).isEqualTo(code);
			});
			socket.send("{\"type\":\"ping\"}");
			assertThat(socket.next().get("type").asString()).isEqualTo("pong");
		}
		try (SignallingTestClient socket = SignallingTestClient.connect(this.port)) {
			JsonNode error = socket.join("eyJhbGciOiJIUzI1NiJ9.e30.bad");
			assertThat(error.get("code").asString()).isEqualTo("signalling.invalid-token");
			assertThat(socket.awaitClosed(Duration.ofSeconds(5))).isTrue();
		}
	}

	@Test
	void twoSosAcceptingAtOnceOnPostgresGiveOneWinner() {
		String nurse = issuer.staff("nurse-race-" + ZGA, "NURSE", ZGA);
		String first = issuer.staff("so-race-1-" + ZGA, "SO", ZGA);
		String second = issuer.staff("so-race-2-" + ZGA, "SO", ZGA);
		touch(first);
		touch(second);
		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		for (int round = 0; round < 5; round++) {
			String id = start(nurse, null).get("id").asString();
			List<Integer> statuses = Flux.just(first, second)
				.flatMap((token) -> client.post()
					.uri("/api/v1/consults/" + id + "/accept")
					.headers((h) -> h.setBearerAuth(token))
					.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())))
				.collectList()
				.block(Duration.ofSeconds(20));
			assertThat(statuses).containsExactlyInAnyOrder(200, 409);
			JsonNode stored = this.http.get()
				.uri("/api/v1/consults/" + id)
				.headers((h) -> h.setBearerAuth(nurse))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(JsonNode.class)
				.returnResult()
				.getResponseBody();
			assertThat(stored.get("consultant").get("userId").asString()).isIn("so-race-1-" + ZGA, "so-race-2-" + ZGA);
		}
	}

	/** The directory learns a practitioner from their first API call. */
	// The consultant opens their app: known to the directory and present for routing
	// until the test ends.
	private void touch(String token) {
		this.openApps.add(new nl.beeldzorg.support.ApiClient(this.port).present(token));
	}

	@org.junit.jupiter.api.AfterEach
	void closeApps() {
		this.openApps.forEach(nl.beeldzorg.support.SseTestClient::close);
		this.openApps.clear();
	}

	private JsonNode start(String nurse, String consultantId) {
		ensureLocation();
		Map<String, Object> body = new java.util.HashMap<>(Map.of("kind", "BEDSIDE", "locationId", ZGA + "-home",
				"clientRef", "K-" + UUID.randomUUID().toString().substring(0, 6), "urgency", "URGENT"));
		if (consultantId != null) {
			body.put("consultantId", consultantId);
		}
		return this.http.post()
			.uri("/api/v1/consults")
			.headers((h) -> h.setBearerAuth(nurse))
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private static boolean locationsSeeded;

	/**
	 * Production has no seed: the test inserts its institutions and a location over JDBC.
	 */
	private static synchronized void ensureLocation() {
		if (locationsSeeded) {
			return;
		}
		try (java.sql.Connection connection = java.sql.DriverManager.getConnection(database, TestPostgres.USER, "");
				java.sql.Statement statement = connection.createStatement()) {
			statement.execute("INSERT INTO institution (id, name) VALUES ('" + ZGA + "', 'Zorggroep Apeldoorn'), ('"
					+ ATLANT + "', 'Atlant') ON CONFLICT (id) DO NOTHING");
			statement.execute("INSERT INTO location (id, institution_id, name, subregion) VALUES ('" + ZGA + "-home', '"
					+ ZGA + "', 'De Sprengel', 'apeldoorn-noord')");
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
		locationsSeeded = true;
	}

	private void expectUnauthorized(String token) {
		this.http.get()
			.uri("/api/v1/locations")
			.headers((h) -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("auth.unauthenticated");
	}

}
