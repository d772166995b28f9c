package nl.beeldzorg.outage;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import nl.beeldzorg.BeeldzorgApplication;
import nl.beeldzorg.support.ApiClient;
import nl.beeldzorg.support.SignallingTestClient;
import nl.beeldzorg.support.SseTestClient;
import nl.beeldzorg.support.StoppableRedis;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis goes away in the middle of a call and comes back empty, on a server of the test's
 * own ({@link StoppableRedis}, never the shared one), with two nodes sharing it: the call
 * whose peers are both on one node keeps signalling, the API keeps answering, and
 * {@code /actuator/health} says Redis is {@code DEGRADED} (HTTP 200, readiness UP) until
 * it is back; then presence is vouched for again at once (not at the next renewal) and
 * events cross the nodes again. A restart quicker than a health ping restores presence
 * too.
 */
class RedisOutageTests {

	private static final String DATABASE = TestPostgres.createDatabase("beeldzorg_redis_outage");

	private static final String PREFIX = "beeldzorg-outage-" + UUID.randomUUID() + ":";

	private static final StoppableRedis redis = StoppableRedis.shared();

	@AfterAll
	static void dropDatabase() {
		TestPostgres.dropDatabase(DATABASE);
	}

	@Test
	void callsKeepSignallingAndPresenceAndEventsComeBackWithRedis() {
		try (ConfigurableApplicationContext a = node(); ConfigurableApplicationContext b = node()) {
			ApiClient onA = new ApiClient(port(a));
			ApiClient onB = new ApiClient(port(b));
			String nurse = onA.token("nurse.anna");
			String sophieOnA = onA.token("so.sophie");
			String basOnA = onA.token("ba.bas");
			String sophieId = onA.userId("so.sophie");
			String lotteId = onA.userId("so.lotte");
			try (SseTestClient lottesApp = new SseTestClient(port(b), onB.token("so.lotte")).awaitConnected();
					SseTestClient sophiesApp = new SseTestClient(port(b), onB.token("so.sophie")).awaitConnected();
					SignallingTestClient nurseSocket = SignallingTestClient.connect(port(a));
					SignallingTestClient soSocket = SignallingTestClient.connect(port(a))) {
				awaitPresent(onA, basOnA, lotteId, true);
				awaitPresent(onA, basOnA, sophieId, true);
				JsonNode started = onA.post("/api/v1/consults", nurse, start("K-REDIS", sophieId), HttpStatus.CREATED);
				String id = started.get("id").asString();
				assertThat(sophiesApp.next("consult.ringing").get("id").asString()).isEqualTo(id);
				JsonNode accepted = onA.post("/api/v1/consults/" + id + "/accept", sophieOnA, HttpStatus.OK);
				String nursePeer = nurseSocket.join(started.get("join").get("token").asString())
					.get("peerId")
					.asString();
				String soPeer = soSocket.join(accepted.get("join").get("token").asString()).get("peerId").asString();

				redis.stop();
				long stopped = System.nanoTime();

				awaitHealth(onA, "DEGRADED");
				long degradedMs = (System.nanoTime() - stopped) / 1_000_000;
				JsonNode health = onA.get("/actuator/health", null, HttpStatus.OK);
				assertThat(health.get("components").get("redis").get("status").asString()).isEqualTo("DEGRADED");
				assertThat(onA.get("/actuator/health/readiness", null, HttpStatus.OK).get("status").asString())
					.isEqualTo("UP");
				// Both peers on this node: the call goes on without Redis.
				soSocket.send("{\"type\":\"offer\",\"to\":\"" + nursePeer + "\",\"sdp\":\"v=0 offer without redis\"}");
				assertThat(nurseSocket.nextOfType("offer").get("from").asString()).isEqualTo(soPeer);
				nurseSocket.send("{\"type\":\"answer\",\"to\":\"" + soPeer + "\",\"sdp\":\"v=0 answer\"}");
				assertThat(soSocket.nextOfType("answer").get("from").asString()).isEqualTo(nursePeer);
				nurseSocket.send("{\"type\":\"ice\",\"to\":\"" + soPeer
						+ "\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host\","
						+ "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
				assertThat(soSocket.nextOfType("ice").get("from").asString()).isEqualTo(nursePeer);
				// The API answers: Redis fails fast,
				// and the node counts its own apps.
				assertThat(onA.get("/api/v1/consults/" + id, nurse, HttpStatus.OK).get("state").asString())
					.isEqualTo("ACTIVE");
				onA.get("/api/v1/consultants?discipline=SO", basOnA, HttpStatus.OK);

				redis.start();
				long back = System.nanoTime();

				awaitHealth(onA, "UP");
				awaitHealth(onB, "UP");
				long upMs = (System.nanoTime() - back) / 1_000_000;
				// Redis came back empty; B vouches again at once
				// for Lotte's open app (the renewal takes 20 s).
				awaitPresent(onA, basOnA, lotteId, true);
				long presentMs = (System.nanoTime() - back) / 1_000_000;
				// Both nodes listen again: a ring from A
				// reaches Lotte's app on B.
				awaitSubscribers(PREFIX + "events", 2);
				System.out.printf(
						"Redis outage: health DEGRADED %d ms after the stop; after the start: both nodes UP"
								+ " in %d ms, presence restored in %d ms, both nodes subscribed in %d ms%n",
						degradedMs, upMs, presentMs, (System.nanoTime() - back) / 1_000_000);
				String second = onA.post("/api/v1/consults", nurse, start("K-REDIS-2", lotteId), HttpStatus.CREATED)
					.get("id")
					.asString();
				assertThat(lottesApp.next("consult.ringing").get("id").asString()).isEqualTo(second);
				onA.post("/api/v1/consults/" + second + "/cancel", nurse, HttpStatus.OK);

				soSocket.send("{\"type\":\"offer\",\"to\":\"" + nursePeer + "\",\"sdp\":\"v=0 after redis\"}");
				assertThat(nurseSocket.nextOfType("offer").get("from").asString()).isEqualTo(soPeer);
				onA.post("/api/v1/consults/" + id + "/end", nurse, HttpStatus.OK);
				assertThat(nurseSocket.nextOfType("ended").get("consultId").asString()).isEqualTo(id);
				assertThat(soSocket.nextOfType("ended").get("consultId").asString()).isEqualTo(id);

				// Redis restarts (empty) quicker than a ping notices: no ping may fail,
				// yet the reconnect alone has B vouch for Lotte's app again, well before
				// the renewal (20 s).
				redis.stop();
				redis.start();
				long restarted = System.nanoTime();
				awaitPresent(onA, basOnA, lotteId, true);
				System.out.printf("Redis restarted at once: presence restored in %d ms%n",
						(System.nanoTime() - restarted) / 1_000_000);
			}
		}
	}

	private static Map<String, Object> start(String clientRef, String consultantId) {
		return Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", clientRef, "urgency", "URGENT",
				"requestedDiscipline", "SO", "consultantId", consultantId);
	}

	private static void awaitHealth(ApiClient api, String status) {
		await("health " + status).atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> api.get("/actuator/health", null, HttpStatus.OK).get("status").asString(), status::equals);
	}

	private static void awaitSubscribers(String channel, long nodes) {
		RedisClient client = RedisClient.create(redis.url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			await(nodes + " nodes subscribed to " + channel + " again").atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> connection.sync().pubsubNumsub(channel).getOrDefault(channel, 0L) >= nodes);
		}
		finally {
			client.shutdown();
		}
	}

	private static void awaitPresent(ApiClient api, String token, String userId, boolean expected) {
		await("presence of " + userId + " became " + expected).atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> presentOn(api, token, userId) == expected);
	}

	private static boolean presentOn(ApiClient api, String token, String userId) {
		for (JsonNode consultant : api.get("/api/v1/consultants?discipline=SO", token, HttpStatus.OK)) {
			if (consultant.get("userId").asString().equals(userId)) {
				return consultant.get("present").asBoolean();
			}
		}
		return false;
	}

	private static ConfigurableApplicationContext node() {
		return new SpringApplicationBuilder(BeeldzorgApplication.class).profiles("demo")
			.run("--server.port=0", "--beeldzorg.database.url=" + DATABASE,
					"--beeldzorg.database.username=" + TestPostgres.USER, "--beeldzorg.redis.url=" + redis.url(),
					"--beeldzorg.redis.key-prefix=" + PREFIX, "--beeldzorg.redis.presence-ttl=60s",
					"--beeldzorg.demo.history=false",
					"--beeldzorg.signalling.join-token-secret=redis-outage-test-secret-of-at-least-32-chars");
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
