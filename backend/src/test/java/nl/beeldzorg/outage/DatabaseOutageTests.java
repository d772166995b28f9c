package nl.beeldzorg.outage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nl.beeldzorg.BeeldzorgApplication;
import nl.beeldzorg.support.ApiClient;
import nl.beeldzorg.support.SignallingTestClient;
import nl.beeldzorg.support.SseTestClient;
import nl.beeldzorg.support.StoppablePostgres;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away in the middle of a call and comes back, on a server of the test's
 * own ({@link StoppablePostgres}, never the shared one): meanwhile the API answers
 * {@code 503 service.database-unavailable} with {@code Retry-After} at once, health says
 * the database is down while readiness keeps the node in the balancer, and the joined
 * peers keep signalling; afterwards the retried start creates its consult once, the
 * escalator moves the consult whose ring ran out during the outage, the call ends
 * normally, what happened in the room during the outage is in the audit trail once, the
 * ledger holds the outcome's entries once, and the audit chain verifies.
 */
class DatabaseOutageTests {

	private static final StoppablePostgres postgres = StoppablePostgres.shared();

	private static final String DATABASE = postgres.createDatabase("beeldzorg_outage");

	@Test
	void theApiAnswers503WhilePostgresIsAwayAndTheCallGoesOn() {
		try (ConfigurableApplicationContext node = node()) {
			ApiClient api = new ApiClient(port(node));
			String nurse = api.token("nurse.anna");
			String sophie = api.token("so.sophie");
			String lotte = api.token("so.lotte");
			String admin = api.token("admin.ada");
			String sophieId = api.userId("so.sophie");
			String lotteId = api.userId("so.lotte");
			try (SseTestClient sophiesApp = api.present(sophie);
					SignallingTestClient nurseSocket = SignallingTestClient.connect(port(node));
					SignallingTestClient soSocket = SignallingTestClient.connect(port(node))) {
				JsonNode started = api.post("/api/v1/consults", nurse, start("K-OUTAGE", sophieId), HttpStatus.CREATED);
				String id = started.get("id").asString();
				JsonNode accepted = api.post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK);
				String soToken = accepted.get("join").get("token").asString();
				String nursePeer = nurseSocket.join(started.get("join").get("token").asString())
					.get("peerId")
					.asString();
				String soPeer = soSocket.join(soToken).get("peerId").asString();
				assertThat(nurseSocket.nextOfType("peer-joined").get("peer").get("peerId").asString())
					.isEqualTo(soPeer);
				// Rings Lotte; its ring runs out while the database is away.
				String ringing = api
					.post("/api/v1/consults", nurse, start("K-OUTAGE-RING", lotteId), HttpStatus.CREATED)
					.get("id")
					.asString();

				postgres.stop();

				long asked = System.nanoTime();
				EntityExchangeResult<JsonNode> refused = api.http()
					.get()
					.uri("/api/v1/consults/" + id)
					.headers((h) -> h.setBearerAuth(nurse))
					.exchange()
					.expectStatus()
					.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
					.expectHeader()
					.valueEquals("Retry-After", "5")
					.expectBody(JsonNode.class)
					.returnResult();
				assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("answered, not left hanging")
					.isLessThan(Duration.ofSeconds(12));
				long answeredMs = (System.nanoTime() - asked) / 1_000_000;
				assertThat(refused.getResponseBody().get("code").asString()).isEqualTo("service.database-unavailable");
				assertThat(refused.getResponseBody().get("status").asInt()).isEqualTo(503);
				assertThat(startWithKey(api, nurse, start("K-OUTAGE-RETRY", sophieId), "outage-retry",
						HttpStatus.SERVICE_UNAVAILABLE)
					.get("code")
					.asString()).isEqualTo("service.database-unavailable");
				JsonNode health = api.http()
					.get()
					.uri("/actuator/health")
					.exchange()
					.expectStatus()
					.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
					.expectBody(JsonNode.class)
					.returnResult()
					.getResponseBody();
				assertThat(health.get("components").get("r2dbc").get("status").asString()).isEqualTo("DOWN");
				assertThat(api.get("/actuator/health/readiness", null, HttpStatus.OK).get("status").asString())
					.as("the node stays in the balancer: the outage is every node's")
					.isEqualTo("UP");

				// The call goes on: negotiation needs no database once joined.
				soSocket.send("{\"type\":\"offer\",\"to\":\"" + nursePeer + "\",\"sdp\":\"v=0 offer during outage\"}");
				JsonNode offer = nurseSocket.nextOfType("offer");
				assertThat(offer.get("from").asString()).isEqualTo(soPeer);
				assertThat(offer.get("sdp").asString()).isEqualTo("v=0 offer during outage");
				nurseSocket
					.send("{\"type\":\"answer\",\"to\":\"" + soPeer + "\",\"sdp\":\"v=0 answer during outage\"}");
				assertThat(soSocket.nextOfType("answer").get("from").asString()).isEqualTo(nursePeer);
				nurseSocket.send("{\"type\":\"ice\",\"to\":\"" + soPeer
						+ "\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host\","
						+ "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
				assertThat(soSocket.nextOfType("ice").get("from").asString()).isEqualTo(nursePeer);
				nurseSocket.send(ApiClient.MEDIA_CONNECTED);
				soSocket.send(ApiClient.MEDIA_CONNECTED);
				// The nurse's network switches while the database is away: she is back in
				// with the same peer id, and the SO never hears she left.
				nurseSocket.drop();
				SignallingTestClient nurseAgain = SignallingTestClient.connect(port(node));
				JsonNode rejoined = nurseAgain.join(started.get("join").get("token").asString());
				assertThat(rejoined.get("type").asString()).as(rejoined.toString()).isEqualTo("joined");
				assertThat(rejoined.get("peerId").asString()).isEqualTo(nursePeer);
				nurseAgain.send("{\"type\":\"offer\",\"to\":\"" + soPeer + "\",\"sdp\":\"v=0 ice restart\"}");
				List<String> seenBySo = new ArrayList<>();
				JsonNode restart = soSocket.next();
				while (!"offer".equals(restart.get("type").asString())) {
					seenBySo.add(restart.get("type").asString());
					restart = soSocket.next();
				}
				assertThat(restart.get("from").asString()).isEqualTo(nursePeer);
				assertThat(seenBySo).doesNotContain("peer-left");
				// The SO steps out while the database is away: recorded once it is back.
				soSocket.send("{\"type\":\"leave\"}");
				assertThat(nurseAgain.nextOfType("peer-left").get("peerId").asString()).isEqualTo(soPeer);

				postgres.start();
				long upAgain = System.nanoTime();

				awaitStatus(api, "/api/v1/consults/" + id, nurse, HttpStatus.OK, Duration.ofSeconds(30));
				long servingMs = (System.nanoTime() - upAgain) / 1_000_000;
				assertThat(api.get("/actuator/health", null, HttpStatus.OK).get("status").asString()).isEqualTo("UP");
				// The retried start creates its consult once.
				JsonNode retried = startWithKey(api, nurse, start("K-OUTAGE-RETRY", sophieId), "outage-retry",
						HttpStatus.CREATED);
				JsonNode again = startWithKey(api, nurse, start("K-OUTAGE-RETRY", sophieId), "outage-retry",
						HttpStatus.OK);
				assertThat(again.get("id").asString()).isEqualTo(retried.get("id").asString());
				api.post("/api/v1/consults/" + retried.get("id").asString() + "/cancel", nurse, HttpStatus.OK);
				// The escalator picks up the ring that ran out meanwhile.
				awaitActions(api, ringing, nurse, "MISSED", Duration.ofSeconds(30));
				System.out.printf(
						"PostgreSQL outage: 503 answered in %d ms; API serving %d ms after PostgreSQL was up;"
								+ " overdue ring escalated %d ms after%n",
						answeredMs, servingMs, (System.nanoTime() - upAgain) / 1_000_000);

				// Back in the room (the join needs the database again), and negotiating.
				SignallingTestClient back = SignallingTestClient.connect(port(node));
				String soPeerAgain = back.join(soToken).get("peerId").asString();
				back.send("{\"type\":\"offer\",\"to\":\"" + nursePeer + "\",\"sdp\":\"v=0 after outage\"}");
				assertThat(nurseAgain.nextOfType("offer").get("from").asString()).isEqualTo(soPeerAgain);

				JsonNode ended = api.post("/api/v1/consults/" + id + "/end", nurse, HttpStatus.OK);
				assertThat(ended.get("state").asString()).isEqualTo("ENDED");
				assertThat(ended.get("connectedAt").isNull()).as("the media reports of the outage counted").isFalse();
				assertThat(nurseAgain.nextOfType("ended").get("consultId").asString()).isEqualTo(id);
				assertThat(back.nextOfType("ended").get("consultId").asString()).isEqualTo(id);
				back.close();
				nurseAgain.close();

				Map<String, Object> outcome = Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo",
						"PHYSICAL_VISIT", "handoverMinutes", 10);
				JsonNode saved = api.put("/api/v1/consults/" + id + "/outcome", sophie, outcome, HttpStatus.OK);
				JsonNode savedAgain = api.put("/api/v1/consults/" + id + "/outcome", sophie, outcome, HttpStatus.OK);
				JsonNode ledger = api.get("/api/v1/consults/" + id + "/time-saved", nurse, HttpStatus.OK);
				assertThat(ledger.get("entries")).isNotEmpty();
				assertThat(savedAgain.get("entries").size()).isEqualTo(saved.get("entries").size());
				Set<String> kinds = new HashSet<>();
				for (JsonNode entry : ledger.get("entries")) {
					assertThat(kinds.add(entry.get("kind").asString())).as("one entry of each kind: " + ledger)
						.isTrue();
					assertThat(entry.get("outcomeVersion").asInt()).isEqualTo(1);
				}
				assertThat(ledger.get("totals").get("minutesSaved").asInt()).isPositive();

				List<String> trail = new ArrayList<>();
				for (JsonNode record : api.get("/api/v1/consults/" + id + "/audit", nurse, HttpStatus.OK)) {
					trail.add(record.get("action").asString() + ":" + record.path("detail").asString(""));
				}
				assertThat(trail).as("the leave during the outage, recorded once: " + trail)
					.containsOnlyOnce("LEFT:LEFT", "ENDED:", "JOINED:rejoin");
				assertThat(trail.stream().filter((action) -> action.startsWith("JOINED")))
					.as("both joins before the outage, the nurse's rejoin in it, the SO's return after it")
					.hasSize(4);
				assertThat(trail.indexOf("LEFT:LEFT")).as("in the order it happened")
					.isBetween(trail.indexOf("JOINED:"), trail.lastIndexOf("JOINED:"));
				JsonNode verification = api.get("/api/v1/audit/verification", admin, HttpStatus.OK);
				assertThat(verification.get("firstBrokenSeq").isNull()).as(verification.toString()).isTrue();
			}
		}
	}

	private static JsonNode startWithKey(ApiClient api, String token, Map<String, Object> body, String key,
			HttpStatus status) {
		return api.http().post().uri("/api/v1/consults").headers((h) -> {
			h.setBearerAuth(token);
			h.set("Idempotency-Key", key);
		})
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private static Map<String, Object> start(String clientRef, String consultantId) {
		return Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", clientRef, "urgency", "URGENT",
				"requestedDiscipline", "SO", "consultantId", consultantId);
	}

	private static void awaitStatus(ApiClient api, String path, String token, HttpStatus wanted, Duration within) {
		await(path + " answered " + wanted).atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
			int status = api.http()
				.get()
				.uri(path)
				.headers((h) -> h.setBearerAuth(token))
				.exchange()
				.returnResult(String.class)
				.getStatus()
				.value();
			if (status == wanted.value()) {
				return true;
			}
			assertThat(status).as("while waiting for the database: 503, never another failure").isEqualTo(503);
			return false;
		});
	}

	private static void awaitActions(ApiClient api, String consult, String token, String action, Duration within) {
		await(consult + " reached " + action).atMost(within)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> api.get("/api/v1/consults/" + consult + "/audit", token, HttpStatus.OK)
				.findValuesAsString("action")
				.contains(action));
	}

	private static ConfigurableApplicationContext node() {
		return new SpringApplicationBuilder(BeeldzorgApplication.class).profiles("demo")
			.run("--server.port=0", "--beeldzorg.database.url=" + DATABASE, "--beeldzorg.database.username=postgres",
					"--beeldzorg.routing.ring-timeout-urgent=3s", "--beeldzorg.routing.escalation-interval=500ms",
					"--beeldzorg.demo.history=false",
					"--beeldzorg.signalling.join-token-secret=outage-test-secret-of-at-least-32-chars");
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
