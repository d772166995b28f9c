package nl.beeldzorg.sfu;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldzorg.signalling.kurento.KurentoProtocolStandIn;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.SignallingTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backend in mode {@code sfu} with two media servers, each a Kurento protocol
 * stand-in (Kurento Media Server cannot run here), driven by the real Kurento client
 * through real signalling sockets: one pipeline per consult, an endpoint per publication
 * and subscription, no recorder, everything released when the consult ends; health per
 * media server; the load gauges.
 */
@TestPropertySource(properties = { "beeldzorg.media.mode=sfu", "beeldzorg.media.failover-after=30s",
		"beeldzorg.media.probe-interval=500ms" })
class KurentoSfuOnH2Tests extends DemoApplicationTests {

	static final KurentoProtocolStandIn first = KurentoProtocolStandIn.start();

	static final KurentoProtocolStandIn second = KurentoProtocolStandIn.start();

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String OFFER = "v=0\r\no=- 46117314 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
			+ "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
			+ "a=ice-ufrag:Yl9e\r\na=ice-pwd:Qd+3QfTQdRTVTkKUc0YpmEgp\r\na=fingerprint:sha-256 8B:1C:4A:56:2E:A3:17:0D:"
			+ "2C:8B:AA:4D:92:5F:1E:3C:6B:25:00:D9:1E:9E:6B:71:3E:57:EA:6E:6B:49:2B:45\r\na=setup:actpass\r\n"
			+ "a=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
			+ "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendrecv\r\na=rtcp-mux\r\n"
			+ "a=rtpmap:96 VP8/90000\r\n";

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-sfu");
		registry.add("beeldzorg.database.url", () -> url);
		registry.add("beeldzorg.media.kurento-urls", () -> first.url() + "," + second.url());
	}

	@AfterAll
	static void stopMediaServers() {
		first.close();
		second.close();
	}

	@BeforeEach
	void bothMediaServersUp() {
		present("so.sophie");
		await().atMost(WAIT).until(() -> "UP".equals(mediaServers().path("status").asString()));
	}

	@Test
	void aConsultHasOnePipelineAnEndpointPerStreamNoRecorderAndIsReleasedAtItsEnd() {
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		JsonNode started = this.api
			.post("/api/v1/consults", nurse,
					Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-1", "urgency", "URGENT",
							"requestedDiscipline", "SO", "consultantId", this.api.userId("so.sophie")),
					HttpStatus.CREATED);
		String id = started.get("id").asString();
		JsonNode accepted = this.api.post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK);
		long pipelinesBefore = first.count("create", "MediaPipeline") + second.count("create", "MediaPipeline");
		try (SignallingTestClient a = SignallingTestClient.connect(this.port);
				SignallingTestClient b = SignallingTestClient.connect(this.port)) {
			JsonNode aJoined = a.join(started.get("join").get("token").asString());
			assertThat(aJoined.get("media").asString()).isEqualTo("sfu");
			assertThat(b.join(accepted.get("join").get("token").asString()).get("media").asString()).isEqualTo("sfu");
			String aId = aJoined.get("peerId").asString();

			a.send(offer(null));
			JsonNode answer = a.nextOfType("answer");
			assertThat(answer.get("from").asString()).isEqualTo("sfu");
			assertThat(answer.get("sdp").asString()).contains("a=ice-lite").contains("a=setup:passive");
			assertThat(a.nextOfType("ice").get("from").asString()).isEqualTo("sfu");
			b.send(offer(aId));
			JsonNode subscribed = b.nextOfType("answer");
			assertThat(subscribed.get("subscribe").asString()).isEqualTo(aId);

			assertThat(first.count("create", "MediaPipeline") + second.count("create", "MediaPipeline"))
				.isEqualTo(pipelinesBefore + 1);
			assertThat(first.live("MediaPipeline") + second.live("MediaPipeline")).isEqualTo(1);
			assertThat(first.live("WebRtcEndpoint") + second.live("WebRtcEndpoint")).isEqualTo(2);
			assertThat(first.count("create", "RecorderEndpoint") + second.count("create", "RecorderEndpoint")).isZero();
			await().atMost(WAIT).until(() -> gauges("beeldzorg.media.pipelines") == 1);
			assertThat(gauges("beeldzorg.media.endpoints")).isEqualTo(2);

			this.api.post("/api/v1/consults/" + id + "/end", nurse, HttpStatus.OK);
			await().atMost(WAIT).until(() -> first.live("MediaPipeline") + second.live("MediaPipeline") == 0);
			assertThat(first.live("WebRtcEndpoint") + second.live("WebRtcEndpoint")).isZero();
			await().atMost(WAIT)
				.until(() -> gauges("beeldzorg.media.pipelines") == 0 && gauges("beeldzorg.media.endpoints") == 0);
		}
	}

	@Test
	void healthShowsEachMediaServerAndDegradesWhileOneIsAway() {
		JsonNode servers = mediaServers().path("components");
		String firstName = MediaConfiguration.name(first.url());
		String secondName = MediaConfiguration.name(second.url());
		assertThat(servers.path(firstName).path("status").asString()).isEqualTo("UP");
		assertThat(servers.path(secondName).path("status").asString()).isEqualTo("UP");

		second.stop();
		await().atMost(WAIT).until(() -> "DEGRADED".equals(mediaServers().path("status").asString()));
		JsonNode degraded = mediaServers().path("components");
		assertThat(degraded.path(firstName).path("status").asString()).isEqualTo("UP");
		assertThat(degraded.path(secondName).path("status").asString()).isEqualTo("DEGRADED");
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk();

		second.resume();
		await().atMost(WAIT).until(() -> "UP".equals(mediaServers().path("status").asString()));
	}

	private JsonNode mediaServers() {
		byte[] body = this.http.get()
			.uri("/actuator/health")
			.exchange()
			.expectBody()
			.returnResult()
			.getResponseBodyContent();
		return json.readTree(body).path("components").path("mediaServers");
	}

	private double gauges(String name) {
		return this.meters.find(name).gauges().stream().mapToDouble(Gauge::value).sum();
	}

	private static String offer(String subscribe) {
		return "{\"type\":\"offer\",\"to\":\"sfu\""
				+ ((subscribe != null) ? ",\"subscribe\":\"" + subscribe + "\"" : "") + ",\"sdp\":"
				+ json.writeValueAsString(OFFER) + "}";
	}

}
