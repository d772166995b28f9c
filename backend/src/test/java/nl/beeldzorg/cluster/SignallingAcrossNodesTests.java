package nl.beeldzorg.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import nl.beeldzorg.BeeldzorgApplication;
import nl.beeldzorg.signalling.Envelope;
import nl.beeldzorg.signalling.protocol.PeerInfo;
import nl.beeldzorg.signalling.protocol.SignalMessage;
import nl.beeldzorg.support.ApiClient;
import nl.beeldzorg.support.NodeProcess;
import nl.beeldzorg.support.SignallingTestClient;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes of one installation sharing PostgreSQL and the real Redis of this machine,
 * each with its own Redis connection: node A in a JVM of its own (so it can be killed
 * without warning), nodes B and C in this one (a node D for the graceful shutdown runs in
 * its own JVM too, to get SIGTERM). The nurse's glasses are on A, the SO's phone on C;
 * negotiation crosses between them in order. A dies: the nurse is back on B within the
 * grace under the same peer id, the SO sees her join again and never sees her leave, and
 * the consult ends, is valued and audited as any other.
 */
class SignallingAcrossNodesTests {

	private static final String DATABASE = TestPostgres.createDatabase("beeldzorg_relay");

	private static final String PREFIX = "beeldzorg-test-" + UUID.randomUUID() + ":";

	private static final String REDIS = System.getenv().getOrDefault("BEELDZORG_TEST_REDIS", "redis://127.0.0.1:6379");

	/** Short, so that a test can outwait it. */
	private static final Duration GRACE = Duration.ofSeconds(6);

	private static final String[] ARGS = { "--beeldzorg.database.url=" + DATABASE,
			"--beeldzorg.database.username=" + TestPostgres.USER, "--beeldzorg.redis.url=" + REDIS,
			"--beeldzorg.redis.key-prefix=" + PREFIX, "--beeldzorg.redis.presence-ttl=3s",
			"--beeldzorg.signalling.reconnect-grace=" + GRACE.toSeconds() + "s",
			"--beeldzorg.signalling.join-token-secret=relay-test-secret-of-at-least-32-chars" };

	private static ConfigurableApplicationContext b;

	private static ConfigurableApplicationContext c;

	@BeforeAll
	static void startNodes() {
		b = node();
		c = node();
	}

	@AfterAll
	static void stopNodes() {
		for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { b, c }) {
			if (node != null) {
				node.close();
			}
		}
		TestPostgres.dropDatabase(DATABASE);
	}

	@Test
	void aPeerWhoseNodeDiesIsBackOnAnotherWithinTheGraceAndTheOtherNeverSeesHerLeave() throws Exception {
		ApiClient onB = new ApiClient(port(b));
		ApiClient onC = new ApiClient(port(c));
		try (NodeProcess a = NodeProcess.start("relay-node-a", ARGS)) {
			ApiClient onA = new ApiClient(a.port());
			String nurse = onA.token("nurse.anna");
			String sophie = onC.token("so.sophie");
			JsonNode started = onA.post("/api/v1/consults", nurse,
					Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-RELAY", "urgency",
							"URGENT", "requestedDiscipline", "SO", "consultantId", onC.userId("so.sophie")),
					HttpStatus.CREATED);
			String id = started.get("id").asString();
			String nurseToken = started.get("join").get("token").asString();
			JsonNode accepted = onC.post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK);

			SignallingTestClient glasses = SignallingTestClient.connect(a.port());
			JsonNode nurseJoined = glasses.join(nurseToken);
			assertThat(nurseJoined.get("type").asString()).as(nurseJoined.toString()).isEqualTo("joined");
			String nursePeer = nurseJoined.get("peerId").asString();
			try (SignallingTestClient phone = SignallingTestClient.connect(port(c))) {
				JsonNode soJoined = phone.join(accepted.get("join").get("token").asString());
				assertThat(soJoined.get("type").asString()).as(soJoined.toString()).isEqualTo("joined");
				assertThat(soJoined.get("peers").findValuesAsString("peerId"))
					.as("the SO's node never saw the nurse, yet knows her seat")
					.containsExactly(nursePeer);
				String soPeer = soJoined.get("peerId").asString();
				assertThat(glasses.next().get("peer").get("peerId").asString()).isEqualTo(soPeer);

				// Offer, answer and a burst of candidates cross from C to A and back, in
				// order.
				phone.send(offer(nursePeer, "v=0 offer from the phone"));
				JsonNode offer = glasses.next();
				assertThat(offer.get("type").asString()).isEqualTo("offer");
				assertThat(offer.get("from").asString()).isEqualTo(soPeer);
				glasses.send(answer(soPeer, "v=0 answer from the glasses"));
				JsonNode answer = phone.next();
				assertThat(answer.get("type").asString()).isEqualTo("answer");
				assertThat(answer.get("from").asString()).isEqualTo(nursePeer);
				for (int i = 0; i < 40; i++) {
					glasses.send(ice(soPeer, i));
				}
				for (int i = 0; i < 40; i++) {
					JsonNode candidate = phone.next();
					assertThat(candidate.get("type").asString()).isEqualTo("ice");
					assertThat(candidate.get("candidate").get("candidate").asString()).as("candidate %d in order", i)
						.startsWith("candidate:" + i + " ");
				}
				phone.send(ice(nursePeer, 99));
				assertThat(glasses.next().get("from").asString()).isEqualTo(soPeer);
				glasses.send(ApiClient.MEDIA_CONNECTED);
				phone.send(ApiClient.MEDIA_CONNECTED);

				// Node A dies without warning: its sockets drop, it tells nobody.
				a.kill();
				assertThat(glasses.awaitClosed(Duration.ofSeconds(5))).isTrue();
				long died = System.nanoTime();

				// The glasses reconnect to another node with the same token.
				try (SignallingTestClient again = SignallingTestClient.connect(port(b))) {
					JsonNode rejoined = again.join(nurseToken);
					assertThat(rejoined.get("type").asString()).as(rejoined.toString()).isEqualTo("joined");
					assertThat(rejoined.get("peerId").asString()).as("the same peer id on another node")
						.isEqualTo(nursePeer);
					assertThat(rejoined.get("peers").findValuesAsString("peerId")).containsExactly(soPeer);
					assertThat(Duration.ofNanos(System.nanoTime() - died)).isLessThan(GRACE);
					JsonNode back = phone.next();
					assertThat(back.get("type").asString()).as("the SO hears her join again, not leave")
						.isEqualTo("peer-joined");
					assertThat(back.get("peer").get("peerId").asString()).isEqualTo(nursePeer);

					// An ICE restart through the new node.
					again.send(offer(soPeer, "v=0 ice restart"));
					assertThat(phone.next().get("sdp").asString()).isEqualTo("v=0 ice restart");
					phone.send(answer(nursePeer, "v=0 restart answer"));
					assertThat(again.next().get("sdp").asString()).isEqualTo("v=0 restart answer");

					// Well past the grace: the seat held by B is kept, no peer-left.
					List<JsonNode> later = quietFor(phone, GRACE.plusSeconds(3));
					assertThat(later).extracting((message) -> message.get("type").asString())
						.doesNotContain("peer-left");

					JsonNode ended = onC.post("/api/v1/consults/" + id + "/end", sophie, HttpStatus.OK);
					assertThat(ended.get("state").asString()).isEqualTo("ENDED");
					assertThat(again.nextOfType("ended").get("consultId").asString()).isEqualTo(id);
					assertThat(phone.nextOfType("ended").get("consultId").asString()).isEqualTo(id);
				}
			}
			JsonNode outcome = onC.put("/api/v1/consults/" + id + "/outcome", sophie,
					Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHYSICAL_VISIT", "handoverMinutes", 10),
					HttpStatus.OK);
			int reported = outcome.get("totals").get("handoverMinutesSaved").asInt()
					+ outcome.get("totals").get("travelMinutesSaved").asInt();
			assertThat(reported).isPositive();
			assertThat(ledgerMinutes(id)).as("every reported minute is in the ledger").isEqualTo(reported);

			JsonNode consult = onB.get("/api/v1/consults/" + id, onB.token("nurse.anna"), HttpStatus.OK);
			assertThat(consult.get("connectedAt").isNull()).isFalse();
			List<String> joins = new ArrayList<>();
			for (JsonNode record : onB.get("/api/v1/consults/" + id + "/audit", onB.token("nurse.anna"),
					HttpStatus.OK)) {
				if ("JOINED".equals(record.get("action").asString())) {
					joins.add(record.path("detail").asString(""));
				}
			}
			assertThat(joins).as("two joins and the nurse's rejoin").hasSize(3).contains("rejoin");
			JsonNode verification = onB.get("/api/v1/audit/verification", onB.token("admin.ada"), HttpStatus.OK);
			assertThat(verification.get("firstBrokenSeq").isNull()).as(verification.toString()).isTrue();
		}
	}

	@Test
	void aNodeThatShutsDownGracefullyTellsItsPeersToReconnectFirst() throws Exception {
		try (NodeProcess d = NodeProcess.start("relay-node-d", ARGS)) {
			drainedNodeTellsItsPeersToReconnect(d);
		}
	}

	private void drainedNodeTellsItsPeersToReconnect(NodeProcess d) throws Exception {
		ApiClient onD = new ApiClient(d.port());
		ApiClient onC = new ApiClient(port(c));
		String nurse = onD.token("nurse.anna");
		String sophie = onC.token("so.sophie");
		JsonNode started = onD
			.post("/api/v1/consults", nurse,
					Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-DRAIN", "urgency",
							"URGENT", "requestedDiscipline", "SO", "consultantId", onC.userId("so.sophie")),
					HttpStatus.CREATED);
		String id = started.get("id").asString();
		String nurseToken = started.get("join").get("token").asString();
		JsonNode accepted = onC.post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK);
		try (SignallingTestClient glasses = SignallingTestClient.connect(d.port());
				SignallingTestClient phone = SignallingTestClient.connect(port(c))) {
			String nursePeer = glasses.join(nurseToken).get("peerId").asString();
			String soPeer = phone.join(accepted.get("join").get("token").asString()).get("peerId").asString();
			assertThat(glasses.next().get("type").asString()).isEqualTo("peer-joined");

			// SIGTERM, as in a rolling deploy.
			CompletableFuture<Void> shutdown = CompletableFuture.runAsync(d::stop);
			JsonNode first = glasses.next();
			assertThat(first.get("type").asString()).as("the first word of a node that shuts down")
				.isEqualTo("reconnect");
			assertThat(first.get("reason").asString()).isEqualTo("shutdown");
			assertThat(first.get("retryAfterMs").asLong()).isZero();
			assertThat(glasses.awaitClosed(Duration.ofSeconds(5))).isTrue();

			try (SignallingTestClient again = SignallingTestClient.connect(port(b))) {
				JsonNode rejoined = again.join(nurseToken);
				assertThat(rejoined.get("peerId").asString()).isEqualTo(nursePeer);
				JsonNode back = phone.next();
				assertThat(back.get("type").asString()).isEqualTo("peer-joined");
				assertThat(back.get("peer").get("peerId").asString()).isEqualTo(nursePeer);
				again.send(offer(soPeer, "v=0 after the move"));
				// The SO hears of the move once: the next word after peer-joined is the
				// nurse's offer (an announcement of her first seat that reached node C
				// late, after C's own seat listed her, is dropped there).
				JsonNode moved = phone.next();
				assertThat(moved.get("type").asString()).as(moved.toString()).isEqualTo("offer");
				// Such a late announcement, replayed: her first taking of the seat (on
				// D).
				JsonNode info = back.get("peer");
				b.getBean(RedisRelayBus.class)
					.publish(new Envelope(id, null, nursePeer,
							new SignalMessage.PeerJoined(new PeerInfo(nursePeer, info.get("userId").asString(),
									info.get("name").asString(), info.get("discipline").asString())),
							1));
				assertThat(moved.get("sdp").asString()).isEqualTo("v=0 after the move");
				shutdown.get();

				// Gone for good this time: the SO hears it once the grace ran out.
				again.drop();
				JsonNode left = phone.next(GRACE.plusSeconds(5));
				assertThat(left.get("type").asString()).isEqualTo("peer-left");
				assertThat(left.get("peerId").asString()).isEqualTo(nursePeer);
			}
			onC.post("/api/v1/consults/" + id + "/end", sophie, HttpStatus.OK);
			assertThat(phone.nextOfType("ended").get("consultId").asString()).isEqualTo(id);
		}
	}

	private static List<JsonNode> quietFor(SignallingTestClient socket, Duration duration) {
		List<JsonNode> messages = new ArrayList<>();
		long deadline = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				messages.add(socket.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
			}
			catch (AssertionError ex) {
				break;
			}
		}
		return messages;
	}

	private static int ledgerMinutes(String consultId) throws Exception {
		try (Connection connection = DriverManager.getConnection(DATABASE, TestPostgres.USER, "");
				PreparedStatement query = connection
					.prepareStatement("SELECT COALESCE(SUM(minutes), 0) FROM ledger_entry WHERE consult_id = ?")) {
			query.setObject(1, UUID.fromString(consultId));
			try (ResultSet rows = query.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

	private static String offer(String to, String sdp) {
		return "{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"" + sdp + "\"}";
	}

	private static String answer(String to, String sdp) {
		return "{\"type\":\"answer\",\"to\":\"" + to + "\",\"sdp\":\"" + sdp + "\"}";
	}

	private static String ice(String to, int n) {
		return "{\"type\":\"ice\",\"to\":\"" + to + "\",\"candidate\":{\"candidate\":\"candidate:" + n
				+ " 1 udp 2122260223 192.168.1." + (n % 250) + " 5" + n + " typ host\",\"sdpMid\":\"0\","
				+ "\"sdpMLineIndex\":0}}";
	}

	private static ConfigurableApplicationContext node() {
		List<String> args = new ArrayList<>(List.of(ARGS));
		args.add("--server.port=0");
		return new SpringApplicationBuilder(BeeldzorgApplication.class).profiles("demo")
			.run(args.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
