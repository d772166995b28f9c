package nl.beeldzorg.signalling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import nl.beeldzorg.signalling.EngineHarness.Client;
import nl.beeldzorg.signalling.kurento.KurentoMediaBroker;
import nl.beeldzorg.signalling.kurento.KurentoSettings;
import nl.beeldzorg.signalling.kurento.MediaMode;
import nl.beeldzorg.signalling.kurento.MediaServer;
import nl.beeldzorg.signalling.kurento.MediaServerTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static nl.beeldzorg.signalling.KurentoBrokerTests.awaitFrame;
import static nl.beeldzorg.signalling.KurentoBrokerTests.awaitError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kurento broker's behaviour that any media server shows, driven through the
 * signalling engine by the real Kurento Java client: against the protocol stand-in in the
 * default run, and against a real Kurento Media Server under
 * {@code -Preal-kurento -Dkurento.url=ws://host:8888/kurento} (see
 * {@link MediaServerTarget}). What only the stand-in can show (the protocol requests, a
 * restart) is in {@link KurentoBrokerTests}.
 */
class KurentoBrokerOnAnyServerTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final List<AutoCloseable> closing = new ArrayList<>();

	private MediaServerTarget kms;

	@BeforeEach
	void target() {
		this.kms = MediaServerTarget.start();
		this.closing.add(this.kms);
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
	}

	@Test
	void aThirdParticipantGetsOnePipelineAndAnEndpointPerPublicationAndSubscription() {
		KurentoMediaBroker broker = broker(MediaMode.AUTO);
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
		String room = room();
		Client a = harness.client();
		String aId = a.join(harness.token(room, "a")).get("peerId").asString();
		Client b = harness.client();
		b.join(harness.token(room, "b"));
		Client c = harness.client();
		assertThat(c.join(harness.token(room, "c")).get("media").asString()).isEqualTo("sfu");
		JsonNode moved = awaitFrame(a, "media");
		assertThat(moved.get("mode").asString()).isEqualTo("sfu");
		assertThat(moved.get("reason").asString()).isEqualTo("third-participant");

		c.send(offer(null));
		JsonNode answer = awaitFrame(c, "answer");
		assertThat(answer.get("from").asString()).isEqualTo("sfu");
		assertThat(answer.get("sdp").asString()).startsWith("v=0").contains("m=audio").contains("m=video");
		assertThat(awaitFrame(c, "ice").get("candidate").get("candidate").asString()).startsWith("candidate:");
		c.send(offer(aId));
		assertThat(awaitFrame(c, "answer").get("subscribe").asString()).isEqualTo(aId);

		assertThat(this.kms.live("MediaPipeline")).as(this.kms.toString()).isEqualTo(1);
		// c's publication, a's (made for the subscription), c's subscription
		assertThat(this.kms.live("WebRtcEndpoint")).isEqualTo(3);
		assertThat(this.kms.live("RecorderEndpoint")).isZero();

		for (Client client : new Client[] { a, b, c }) {
			client.send("{\"type\":\"leave\"}");
		}
		await().atMost(WAIT).until(() -> this.kms.live("MediaPipeline") == 0);
		assertThat(this.kms.live("WebRtcEndpoint")).isZero();
	}

	@Test
	void aRecordingMovesAPairToTheSfuAndHasARecorderOnlyWhileItRuns() {
		KurentoMediaBroker broker = broker(MediaMode.AUTO);
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
		String room = room();
		Client a = harness.client();
		assertThat(a.join(harness.token(room, "a")).get("media").asString()).isEqualTo("p2p");
		Client b = harness.client();
		b.join(harness.token(room, "b"));
		b.send(offer(null));
		awaitError(b, "signalling.not-allowed");
		assertThat(this.kms.live("MediaPipeline")).isZero();

		String uri = "file:///tmp/beeldzorg-broker-" + UUID.randomUUID() + ".webm";
		StepVerifier.create(broker.startRecording(room, "r1", uri)).expectComplete().verify(WAIT);
		for (Client client : new Client[] { a, b }) {
			JsonNode media = awaitFrame(client, "media");
			assertThat(media.get("mode").asString()).isEqualTo("sfu");
			assertThat(media.get("reason").asString()).isEqualTo("recording");
		}
		assertThat(this.kms.live("RecorderEndpoint")).isEqualTo(1);
		a.send(offer(null));
		assertThat(awaitFrame(a, "answer").get("from").asString()).isEqualTo("sfu");

		StepVerifier.create(broker.stopRecording(room, "r1")).expectComplete().verify(WAIT);
		assertThat(this.kms.live("RecorderEndpoint")).isZero();
		harness.engine.closeRoom(room);
		await().atMost(WAIT).until(() -> this.kms.live("MediaPipeline") == 0);
		assertThat(this.kms.live("WebRtcEndpoint")).isZero();
	}

	@Test
	void aPeerThatComesBackPublishesAgainWithoutLeavingItsOldEndpointsBehind() {
		KurentoMediaBroker broker = broker(MediaMode.SFU);
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
		String room = room();
		Client a = harness.client();
		String aId = a.join(harness.token(room, "a")).get("peerId").asString();
		Client b = harness.client();
		b.join(harness.token(room, "b"));
		a.send(offer(null));
		awaitFrame(a, "answer");
		b.send(offer(aId));
		awaitFrame(b, "answer");
		assertThat(this.kms.live("WebRtcEndpoint")).isEqualTo(2);

		a.connection.closed();
		Client back = harness.client();
		assertThat(back.join(harness.token(room, "a")).get("peerId").asString()).isEqualTo(aId);
		back.send(offer(null));
		assertThat(awaitFrame(back, "answer").get("from").asString()).isEqualTo("sfu");
		await().atMost(WAIT).until(() -> this.kms.live("WebRtcEndpoint") == 2);
		assertThat(this.kms.live("MediaPipeline")).isEqualTo(1);
		harness.engine.closeRoom(room);
		await().atMost(WAIT).until(() -> this.kms.live("MediaPipeline") == 0);
	}

	private static String room() {
		return "c-" + UUID.randomUUID();
	}

	private KurentoMediaBroker broker(MediaMode mode) {
		KurentoMediaBroker broker = new KurentoMediaBroker(new KurentoSettings(mode, List.of(this.kms.url()), 1500,
				Duration.ofMillis(300), Duration.ofMillis(500)));
		this.closing.add(0, broker);
		broker.start();
		await().atMost(WAIT).until(() -> broker.servers().get(0).state() == MediaServer.State.UP);
		return broker;
	}

	private static String offer(String subscribe) {
		return "{\"type\":\"offer\",\"to\":\"sfu\""
				+ ((subscribe != null) ? ",\"subscribe\":\"" + subscribe + "\"" : "") + ",\"sdp\":"
				+ EngineHarness.json.writeValueAsString(KurentoBrokerTests.OFFER) + "}";
	}

}
