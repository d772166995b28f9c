package nl.beeldzorg.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import nl.beeldzorg.BeeldzorgApplication;
import nl.beeldzorg.signalling.kurento.KurentoProtocolStandIn;
import nl.beeldzorg.support.ApiClient;
import nl.beeldzorg.support.NodeProcess;
import nl.beeldzorg.support.SignallingTestClient;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A consult on the SFU whose peers are on different nodes, as behind a balancer without
 * stickiness: three nodes sharing PostgreSQL and the real Redis of this machine, each
 * with its own Redis connection (node A in a JVM of its own, so it can be killed), one
 * media server (the Kurento protocol stand-in: Kurento Media Server cannot run here)
 * driven by the real Kurento client. The node that first sends to the SFU owns the
 * consult's media; what peers on other nodes send to the SFU, and a recording started and
 * stopped on a third node, reach it; its answers and candidates reach them. The owner
 * dies: another node takes the consult over, tells the peers to publish again and
 * rebuilds it.
 */
class SfuAcrossNodesTests {

	private static final String DATABASE = TestPostgres.createDatabase("beeldzorg_sfux");

	private static final String PREFIX = "beeldzorg-test-" + UUID.randomUUID() + ":";

	private static final String REDIS = System.getenv().getOrDefault("BEELDZORG_TEST_REDIS", "redis://127.0.0.1:6379");

	private static final KurentoProtocolStandIn kms = KurentoProtocolStandIn.start();

	private static final Path RECORDINGS = directory();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String OFFER = "v=0\r\no=- 46117314 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
			+ "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
			+ "a=ice-ufrag:Yl9e\r\na=ice-pwd:Qd+3QfTQdRTVTkKUc0YpmEgp\r\na=fingerprint:sha-256 8B:1C:4A:56:2E:A3:17:0D:"
			+ "2C:8B:AA:4D:92:5F:1E:3C:6B:25:00:D9:1E:9E:6B:71:3E:57:EA:6E:6B:49:2B:45\r\na=setup:actpass\r\n"
			+ "a=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
			+ "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendrecv\r\na=rtcp-mux\r\n"
			+ "a=rtpmap:96 VP8/90000\r\n";

	/** Short, so that the takeover comes within a test's patience. */
	private static final Duration LEASE = Duration.ofSeconds(3);

	private static final Duration GRACE = Duration.ofSeconds(20);

	private static final String[] ARGS = { "--beeldzorg.database.url=" + DATABASE,
			"--beeldzorg.database.username=" + TestPostgres.USER, "--beeldzorg.redis.url=" + REDIS,
			"--beeldzorg.redis.key-prefix=" + PREFIX, "--beeldzorg.redis.presence-ttl=3s",
			"--beeldzorg.signalling.reconnect-grace=" + GRACE.toSeconds() + "s",
			"--beeldzorg.signalling.join-token-secret=sfux-test-secret-of-at-least-32-characters",
			"--beeldzorg.media.mode=sfu", "--beeldzorg.media.kurento-urls=" + kms.url(),
			"--beeldzorg.media.owner-lease=" + LEASE.toSeconds() + "s",
			"--beeldzorg.recordings.directory=" + RECORDINGS };

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
		kms.close();
		TestPostgres.dropDatabase(DATABASE);
	}

	@Test
	void peersOnDifferentNodesShareOnePipelineAndADeadOwnersConsultIsRebuiltElsewhere() throws Exception {
		ApiClient onB = new ApiClient(port(b));
		ApiClient onC = new ApiClient(port(c));
		try (NodeProcess a = NodeProcess.start("sfux-node-a", ARGS)) {
			ApiClient onA = new ApiClient(a.port());
			String nurse = onA.token("nurse.anna");
			String sophie = onC.token("so.sophie");
			JsonNode started = onA.post("/api/v1/consults", nurse,
					Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-SFUX", "urgency",
							"URGENT", "requestedDiscipline", "SO", "consultantId", onC.userId("so.sophie")),
					HttpStatus.CREATED);
			String id = started.get("id").asString();
			String nurseToken = started.get("join").get("token").asString();
			JsonNode accepted = onB.post("/api/v1/consults/" + id + "/accept", onB.token("so.sophie"), HttpStatus.OK);

			SignallingTestClient glasses = SignallingTestClient.connect(a.port());
			JsonNode nurseJoined = glasses.join(nurseToken);
			assertThat(nurseJoined.get("media").asString()).as(nurseJoined.toString()).isEqualTo("sfu");
			String nursePeer = nurseJoined.get("peerId").asString();
			try (SignallingTestClient phone = SignallingTestClient.connect(port(b))) {
				JsonNode soJoined = phone.join(accepted.get("join").get("token").asString());
				assertThat(soJoined.get("media").asString()).isEqualTo("sfu");
				String soPeer = soJoined.get("peerId").asString();

				// The nurse publishes first, on A: A owns the consult's media.
				glasses.send(offer(null));
				assertThat(glasses.nextOfType("answer").get("from").asString()).isEqualTo("sfu");
				assertThat(glasses.nextOfType("ice").get("from").asString()).isEqualTo("sfu");

				// The SO on B publishes and subscribes: B hands it to A, A's answers and
				// candidates come back to B.
				phone.send(offer(null));
				JsonNode published = phone.nextOfType("answer");
				assertThat(published.get("from").asString()).isEqualTo("sfu");
				assertThat(published.get("sdp").asString()).contains("a=ice-lite");
				assertThat(published.has("subscribe")).isFalse();
				assertThat(phone.nextOfType("ice").get("from").asString()).isEqualTo("sfu");
				phone.send(ice(null, 7));
				phone.send(offer(nursePeer));
				JsonNode subscribed = phone.nextOfType("answer");
				assertThat(subscribed.get("subscribe").asString()).isEqualTo(nursePeer);
				glasses.send(offer(soPeer));
				assertThat(glasses.nextOfType("answer").get("subscribe").asString()).isEqualTo(soPeer);

				await().atMost(Duration.ofSeconds(10)).until(() -> kms.count("invoke", "addIceCandidate") >= 1);
				assertThat(kms.count("create", "MediaPipeline")).as("one pipeline for the consult, not one per node")
					.isEqualTo(1);
				assertThat(kms.live("MediaPipeline")).isEqualTo(1);
				assertThat(kms.live("WebRtcEndpoint")).as("two publications, two subscriptions").isEqualTo(4);
				assertThat(kms.count("invoke", "connect")).isEqualTo(2);

				// A recording started and stopped through a node without a peer of the
				// consult reaches the owner.
				String recordingId = onC
					.post("/api/v1/consults/" + id + "/recording", sophie,
							Map.of("consent", Map.of("givenBy", "CLIENT")), HttpStatus.CREATED)
					.get("recordingId")
					.asString();
				await().atMost(Duration.ofSeconds(10)).until(() -> kms.objects("RecorderEndpoint").size() == 1);
				assertThat(kms.objects("RecorderEndpoint").get(0).constructorParams().get("uri").asString())
					.endsWith(RECORDINGS.toAbsolutePath() + "/zga/" + id + "/" + recordingId + ".webm");
				assertThat(kms.count("create", "MediaPipeline")).isEqualTo(1);
				assertThat(phone.nextOfType("recording").get("state").asString()).isEqualTo("started");
				onC.send(HttpMethod.DELETE, "/api/v1/consults/" + id + "/recording", sophie, null, HttpStatus.OK);
				assertThat(phone.nextOfType("recording").get("state").asString()).isEqualTo("stopped");
				assertThat(kms.count("invoke", "stopAndWait")).isEqualTo(1);

				// The owner dies without a word: B takes the consult over once A's lease
				// runs out and tells its peers to publish again.
				a.kill();
				assertThat(glasses.awaitClosed(Duration.ofSeconds(5))).isTrue();
				JsonNode media = phone.nextOfType("media");
				assertThat(media.get("mode").asString()).isEqualTo("sfu");
				assertThat(media.get("reason").asString()).isEqualTo("media-server-restarted");

				try (SignallingTestClient again = SignallingTestClient.connect(port(c))) {
					JsonNode rejoined = again.join(nurseToken);
					assertThat(rejoined.get("peerId").asString()).isEqualTo(nursePeer);
					assertThat(rejoined.get("media").asString()).isEqualTo("sfu");
					phone.send(offer(null));
					assertThat(phone.nextOfType("answer").get("from").asString()).isEqualTo("sfu");
					again.send(offer(null));
					assertThat(again.nextOfType("answer").get("from").asString()).isEqualTo("sfu");
					again.send(offer(soPeer));
					assertThat(again.nextOfType("answer").get("subscribe").asString()).isEqualTo(soPeer);
					assertThat(kms.count("create", "MediaPipeline")).as("rebuilt once, by the new owner").isEqualTo(2);
					long live = kms.live("MediaPipeline");

					onC.post("/api/v1/consults/" + id + "/end", sophie, HttpStatus.OK);
					assertThat(phone.nextOfType("ended").get("consultId").asString()).isEqualTo(id);
					await().atMost(Duration.ofSeconds(10)).until(() -> kms.live("MediaPipeline") == live - 1);
				}
			}
		}
	}

	private static String offer(String subscribe) {
		return "{\"type\":\"offer\",\"to\":\"sfu\""
				+ ((subscribe != null) ? ",\"subscribe\":\"" + subscribe + "\"" : "") + ",\"sdp\":"
				+ json.writeValueAsString(OFFER) + "}";
	}

	private static String ice(String subscribe, int n) {
		return "{\"type\":\"ice\",\"to\":\"sfu\"" + ((subscribe != null) ? ",\"subscribe\":\"" + subscribe + "\"" : "")
				+ ",\"candidate\":{\"candidate\":\"candidate:" + n + " 1 udp 2122260223 192.168.1." + n + " 5" + n
				+ " typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
	}

	private static Path directory() {
		try {
			return Files.createTempDirectory("beeldzorg-sfux-recordings");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
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
