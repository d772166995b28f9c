package nl.beeldzorg.consult;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.MutableClock;
import nl.beeldzorg.support.SseTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consultant's follow-ups: the outcomes they skipped are listed until recorded (and
 * reminded of once, by one node, some time after the end), and calls that rang for them
 * but went elsewhere are listed as missed. Nobody else sees another's.
 */
@Import(MutableClock.Configuration.class)
class FollowUpsTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-follow-ups");
		registry.add("beeldzorg.database.url", () -> url);
		registry.add("beeldzorg.push.allowed-hosts", () -> "http://127.0.0.1:");
		// The test runs the sweeps itself, at the moments it chooses.
		registry.add("beeldzorg.outcome-reminder.interval", () -> "1h");
		registry.add("beeldzorg.outcome-reminder.after", () -> "30m");
	}

	@Autowired
	private MutableClock clock;

	@Autowired
	private OutcomeReminder reminder;

	@Autowired
	private Escalator escalator;

	private final BlockingQueue<String> pushed = new LinkedBlockingQueue<>();

	private HttpServer pushService;

	@BeforeEach
	void pushService() throws IOException {
		this.pushService = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.pushService.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			this.pushed.add(exchange.getRequestURI().getPath());
			exchange.sendResponseHeaders(201, -1);
			exchange.close();
		});
		this.pushService.start();
	}

	@AfterEach
	void stopPushService() {
		this.pushService.stop(0);
	}

	@Test
	void aSkippedOutcomeIsListedForItsConsultantOnlyUntilRecorded() {
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		String id = this.api.connectedAndEnded(nurse, sophie, this.api.userId("so.sophie"), "zga-de-sprengel", "SO");

		JsonNode pending = this.api.get("/api/v1/me/pending-outcomes", sophie, HttpStatus.OK);
		assertThat(ids(pending)).contains(id);
		JsonNode listed = find(pending, id);
		assertThat(listed.get("state").asString()).isEqualTo("ENDED");
		assertThat(listed.get("locationId").asString()).isEqualTo("zga-de-sprengel");
		assertThat(listed.get("requestedBy").get("name").asString()).isNotBlank();
		assertThat(listed.path("join").isMissingNode() || listed.get("join").isNull()).isTrue();

		assertThat(ids(this.api.get("/api/v1/me/pending-outcomes", this.api.token("so.lotte"), HttpStatus.OK)))
			.as("a colleague of the same institution")
			.doesNotContain(id);
		assertThat(ids(this.api.get("/api/v1/me/pending-outcomes", this.api.token("so.daan"), HttpStatus.OK)))
			.as("a consultant of another institution")
			.doesNotContain(id);
		assertThat(this.api.get("/api/v1/me/pending-outcomes", nurse, HttpStatus.FORBIDDEN).get("code").asString())
			.isEqualTo("routing.not-a-consultant");
		assertThat(this.api.get("/api/v1/me/pending-outcomes", this.api.token("ha.huib"), HttpStatus.FORBIDDEN)
			.get("code")
			.asString()).isEqualTo("routing.not-a-consultant");

		JsonNode saved = this.api.put("/api/v1/consults/" + id + "/outcome", sophie,
				Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHYSICAL_VISIT", "handoverMinutes", 10),
				HttpStatus.OK);
		assertThat(saved.get("totals").get("handoverMinutesSaved").asInt()).isEqualTo(10);
		assertThat(saved.get("totals").get("travelMinutesSaved").asInt()).as("Berg en Bos to De Sprengel and back")
			.isPositive();
		assertThat(ids(this.api.get("/api/v1/me/pending-outcomes", sophie, HttpStatus.OK))).doesNotContain(id);
		assertThat(this.api.get("/v3/api-docs", sophie, HttpStatus.OK).get("paths").propertyNames())
			.contains("/api/v1/me/pending-outcomes", "/api/v1/me/missed-calls");
	}

	@Test
	void callsThatRangAndWentElsewhereAreTheConsultantsMissedCalls() {
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		String lotte = this.api.token("so.lotte");
		present("so.sophie", "so.lotte");
		// Rings both SOs: Lotte takes it.
		String taken = start(nurse, Map.of());
		this.api.post("/api/v1/consults/" + taken + "/accept", lotte, HttpStatus.OK);
		// Rings Sophie alone: the nurse withdraws it.
		String cancelled = start(nurse, Map.of("consultantId", this.api.userId("so.sophie")));
		this.api.post("/api/v1/consults/" + cancelled + "/cancel", nurse, HttpStatus.OK);
		// Rings Sophie alone: nobody answers in time.
		String missed = start(nurse, Map.of("consultantId", this.api.userId("so.sophie")));
		// Rings Sophie alone: she declines (her own choice, not a missed call).
		String declined = start(nurse, Map.of("consultantId", this.api.userId("so.sophie")));
		this.api.post("/api/v1/consults/" + declined + "/decline", sophie, HttpStatus.OK);
		this.clock.advance(Duration.ofMinutes(5));
		this.escalator.escalateDue().block(Duration.ofSeconds(10));
		assertThat(this.api.get("/api/v1/consults/" + missed, nurse, HttpStatus.OK).get("state").asString())
			.isEqualTo("MISSED");

		JsonNode calls = this.api.get("/api/v1/me/missed-calls", sophie, HttpStatus.OK);
		Map<String, String> reasons = new java.util.HashMap<>();
		calls.forEach((call) -> reasons.put(call.get("consult").get("id").asString(), call.get("reason").asString()));
		assertThat(reasons).containsEntry(taken, "ANSWERED_BY_COLLEAGUE")
			.containsEntry(cancelled, "CANCELLED")
			.containsEntry(missed, "MISSED")
			.doesNotContainKey(declined);
		JsonNode answered = find(calls, taken);
		assertThat(answered.get("consult").get("consultant").get("userId").asString())
			.isEqualTo(this.api.userId("so.lotte"));
		assertThat(answered.get("rungAt").asString()).isNotBlank();
		assertThat(answered.get("consult").get("requestedBy").get("name").asString()).isNotBlank();

		assertThat(ids(this.api.get("/api/v1/me/missed-calls", lotte, HttpStatus.OK).findValues("consult")))
			.as("Lotte took one, was never rung for the others")
			.doesNotContain(taken, cancelled, missed);
		assertThat(this.api.get("/api/v1/me/missed-calls", this.api.token("so.daan"), HttpStatus.OK))
			.as("another institution's SO")
			.isEmpty();
		assertThat(this.api.get("/api/v1/me/missed-calls", nurse, HttpStatus.FORBIDDEN).get("code").asString())
			.isEqualTo("routing.not-a-consultant");
		assertThat(
				this.api.get("/api/v1/me/missed-calls?hours=0", sophie, HttpStatus.BAD_REQUEST).get("code").asString())
			.isEqualTo("request.invalid");

		// A day later they are no longer recent; a week's look back still shows them.
		this.clock.advance(Duration.ofHours(25));
		assertThat(ids(this.api.get("/api/v1/me/missed-calls", sophie, HttpStatus.OK).findValues("consult")))
			.doesNotContain(taken, cancelled, missed);
		assertThat(ids(this.api.get("/api/v1/me/missed-calls?hours=168", sophie, HttpStatus.OK).findValues("consult")))
			.contains(taken, cancelled, missed);
	}

	@Test
	void aSkippedOutcomeIsRemindedOnceByOneNodeAfterTheConfiguredTime() throws Exception {
		String nurse = this.api.token("nurse.bram");
		String pieter = this.api.token("pa.pieter");
		this.api.post("/api/v1/push/subscriptions", pieter,
				Map.of("endpoint", endpoint("/push/pieter"), "keys", browserKeys()), HttpStatus.CREATED);
		try (SseTestClient app = new SseTestClient(this.port, pieter)) {
			String id = this.api.connectedAndEnded(nurse, pieter, this.api.userId("pa.pieter"), "atlant-de-boskamp",
					"PA");
			assertThat(this.pushed.poll(10, TimeUnit.SECONDS)).as("the consult rang Pieter's phone")
				.isEqualTo("/push/pieter");
			this.clock.advance(Duration.ofMinutes(29));
			assertThat(this.reminder.remindDue().block(Duration.ofSeconds(10))).as("before the reminder time").isZero();

			this.clock.advance(Duration.ofMinutes(2));
			// Two nodes sweep at the same moment: one reminder.
			List<Integer> sent = Mono
				.zip(this.reminder.remindDue().subscribeOn(Schedulers.parallel()),
						this.reminder.remindDue().subscribeOn(Schedulers.parallel()))
				.map((both) -> List.of(both.getT1(), both.getT2()))
				.block(Duration.ofSeconds(10));
			assertThat(sent.get(0) + sent.get(1)).isEqualTo(1);
			assertThat(app.next(OutcomeReminder.OUTCOME_PENDING).get("id").asString()).isEqualTo(id);
			assertThat(this.pushed.poll(10, TimeUnit.SECONDS)).as("the reminder").isEqualTo("/push/pieter");
			assertThat(this.reminder.remindDue().block(Duration.ofSeconds(10))).as("reminded once").isZero();
			assertThat(this.pushed.poll(1, TimeUnit.SECONDS)).isNull();
			assertThat(ids(this.api.get("/api/v1/me/pending-outcomes", pieter, HttpStatus.OK))).contains(id);

			// Recorded in time: no reminder at all.
			String recorded = this.api.connectedAndEnded(nurse, pieter, this.api.userId("pa.pieter"),
					"atlant-de-boskamp", "PA");
			this.api.put("/api/v1/consults/" + recorded + "/outcome", pieter,
					Map.of("resolution", "REFERRED", "withoutVideo", "PHONE_CALL"), HttpStatus.OK);
			this.clock.advance(Duration.ofHours(1));
			assertThat(this.reminder.remindDue().block(Duration.ofSeconds(10))).isZero();
		}
	}

	private String start(String nurse, Map<String, String> extra) {
		Map<String, Object> body = new java.util.HashMap<>(Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel",
				"clientRef", "K-MIS", "urgency", "URGENT", "requestedDiscipline", "SO"));
		body.putAll(extra);
		return this.api.post("/api/v1/consults", nurse, body, HttpStatus.CREATED).get("id").asString();
	}

	/** A browser's subscription keys: a P-256 public point and an auth secret. */
	private static Map<String, String> browserKeys() throws java.security.GeneralSecurityException {
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
		generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
		java.security.interfaces.ECPublicKey key = (java.security.interfaces.ECPublicKey) generator.generateKeyPair()
			.getPublic();
		byte[] point = new byte[65];
		point[0] = 4;
		copy(key.getW().getAffineX(), point, 1);
		copy(key.getW().getAffineY(), point, 33);
		byte[] auth = new byte[16];
		new java.security.SecureRandom().nextBytes(auth);
		java.util.Base64.Encoder url = java.util.Base64.getUrlEncoder().withoutPadding();
		return Map.of("p256dh", url.encodeToString(point), "auth", url.encodeToString(auth));
	}

	private static void copy(java.math.BigInteger value, byte[] into, int at) {
		byte[] bytes = value.toByteArray();
		int length = Math.min(bytes.length, 32);
		System.arraycopy(bytes, bytes.length - length, into, at + 32 - length, length);
	}

	private String endpoint(String path) {
		return "http://127.0.0.1:" + this.pushService.getAddress().getPort() + path;
	}

	private static JsonNode find(JsonNode list, String id) {
		for (JsonNode item : list) {
			JsonNode consult = item.has("consult") ? item.get("consult") : item;
			if (consult.get("id").asString().equals(id)) {
				return item;
			}
		}
		throw new AssertionError("No " + id + " in " + list);
	}

	private static List<String> ids(JsonNode list) {
		return list.findValues("id").stream().map(JsonNode::asString).toList();
	}

	private static List<String> ids(List<JsonNode> consults) {
		return consults.stream().map((c) -> c.get("id").asString()).toList();
	}

}
