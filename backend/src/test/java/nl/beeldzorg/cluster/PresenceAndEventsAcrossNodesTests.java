package nl.beeldzorg.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import nl.beeldzorg.BeeldzorgApplication;
import nl.beeldzorg.support.ApiClient;
import nl.beeldzorg.support.SseTestClient;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes of one installation behind a load balancer, sharing PostgreSQL and the real
 * Redis of this machine: the SO's app is connected to one node, the nurse starts her
 * consult on the other. The consult rings the SO (her presence is shared), the ring
 * reaches her open app (events are shared), and her accept reaches the nurse. When her
 * app closes, the other node stops counting on her; a node that died stops counting once
 * its word runs out.
 */
class PresenceAndEventsAcrossNodesTests {

	private static final String DATABASE = TestPostgres.createDatabase("beeldzorg_nodes");

	/**
	 * Every run its own keys, so runs and other installations on this Redis never meet.
	 */
	private static final String PREFIX = "beeldzorg-test-" + UUID.randomUUID() + ":";

	private static final String REDIS = System.getenv().getOrDefault("BEELDZORG_TEST_REDIS", "redis://127.0.0.1:6379");

	@AfterAll
	static void dropDatabase() {
		TestPostgres.dropDatabase(DATABASE);
	}

	@Test
	void aConsultStartedOnOneNodeRingsTheAppOpenOnTheOther() {
		try (ConfigurableApplicationContext a = node(); ConfigurableApplicationContext b = node()) {
			ApiClient onA = new ApiClient(port(a));
			ApiClient onB = new ApiClient(port(b));
			String sophieId = onA.userId("so.sophie");
			String bas = onA.token("ba.bas");
			assertThat(presentOn(onA, bas, sophieId)).as("nobody has an app open yet").isFalse();

			SseTestClient sophiesApp = new SseTestClient(port(b), onB.token("so.sophie"));
			awaitPresent(onA, bas, sophieId, true);
			String nurse = onA.token("nurse.anna");
			try (SseTestClient nursesPage = new SseTestClient(port(a), nurse)) {
				JsonNode started = onA.post(
						"/api/v1/consults", nurse, Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel",
								"clientRef", "K-NODES", "urgency", "URGENT", "requestedDiscipline", "SO"),
						HttpStatus.CREATED);
				String id = started.get("id").asString();
				assertThat(started.get("ringing").findValues("userId").stream().map(JsonNode::asString))
					.containsExactly(sophieId);
				assertThat(sophiesApp.next("consult.ringing").get("id").asString())
					.as("the ring reaches the app on the other node")
					.isEqualTo(id);
				onB.post("/api/v1/consults/" + id + "/accept", onB.token("so.sophie"), HttpStatus.OK);
				JsonNode accepted = nursesPage.next("consult.accepted");
				assertThat(accepted.get("id").asString()).isEqualTo(id);
				assertThat(accepted.get("consultant").get("userId").asString()).isEqualTo(sophieId);
			}

			// Written IMOZ questions cross nodes too, on their own channel: asked on A,
			// the
			// SO's app on B hears of it; taken on A, the huisarts's page on B hears of
			// it.
			try (SseTestClient huibsPage = new SseTestClient(port(b), onB.token("ha.huib")).awaitConnected()) {
				String question = onA
					.post("/api/v1/imoz/questions", onA.token("ha.huib"),
							Map.of("clientRef", "P-NODES", "homeArea", "7331", "question", "Across nodes?"),
							HttpStatus.CREATED)
					.get("id")
					.asString();
				assertThat(sophiesApp.next("imoz.question.created").get("id").asString()).isEqualTo(question);
				onA.post("/api/v1/imoz/questions/" + question + "/claim", onA.token("so.sophie"), HttpStatus.OK);
				JsonNode claimed = huibsPage.next("imoz.question.claimed");
				assertThat(claimed.get("id").asString()).isEqualTo(question);
				assertThat(claimed.get("claimant").get("name").asString()).isEqualTo("Sophie Bakker");
			}

			sophiesApp.close();
			awaitPresent(onA, bas, sophieId, false);
			assertThat(onA
				.post("/api/v1/consults", nurse,
						Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-NODES-2", "urgency",
								"URGENT", "requestedDiscipline", "SO"),
						HttpStatus.UNPROCESSABLE_CONTENT)
				.get("code")
				.asString()).isEqualTo("consult.no-consultant-available");
		}
	}

	@Test
	void aNodeThatDiedIsNoLongerBelievedOnceItsWordRunsOut() {
		try (ConfigurableApplicationContext a = node();
				RedisClient client = RedisClient.create(REDIS);
				StatefulRedisConnection<String, String> redis = client.connect()) {
			ApiClient onA = new ApiClient(port(a));
			String lotteId = onA.userId("so.lotte");
			String bas = onA.token("ba.bas");
			String key = PREFIX + "presence:" + lotteId;
			long now = Instant.now().toEpochMilli();
			// A node that died a minute ago had vouched for Lotte until 30 s ago.
			redis.sync().hset(key, "dead-node", Long.toString(now - 30_000));
			redis.sync().expire(key, 60);
			assertThat(presentOn(onA, bas, lotteId)).isFalse();
			// A live node's word that still holds.
			redis.sync().hset(key, "live-node", Long.toString(now + 60_000));
			assertThat(presentOn(onA, bas, lotteId)).isTrue();
			redis.sync().del(key);
		}
	}

	private static void awaitPresent(ApiClient api, String token, String userId, boolean expected) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (presentOn(api, token, userId) != expected) {
			assertThat(System.nanoTime()).as("presence of " + userId + " became " + expected + " within 10 s")
				.isLessThan(deadline);
			reactor.core.publisher.Mono.delay(Duration.ofMillis(100)).block();
		}
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
					"--beeldzorg.database.username=" + TestPostgres.USER, "--beeldzorg.redis.url=" + REDIS,
					"--beeldzorg.redis.key-prefix=" + PREFIX, "--beeldzorg.redis.presence-ttl=3s",
					"--beeldzorg.signalling.join-token-secret=nodes-test-secret-of-at-least-32-chars");
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
