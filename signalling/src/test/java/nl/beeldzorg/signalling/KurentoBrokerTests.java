package nl.beeldzorg.signalling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import nl.beeldzorg.signalling.EngineHarness.Client;
import nl.beeldzorg.signalling.kurento.KurentoMediaBroker;
import nl.beeldzorg.signalling.kurento.KurentoProtocolStandIn;
import nl.beeldzorg.signalling.kurento.KurentoSettings;
import nl.beeldzorg.signalling.kurento.MediaMode;
import nl.beeldzorg.signalling.kurento.MediaServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kurento broker with the real Kurento Java client against the protocol stand-in
 * (Kurento Media Server cannot run here), driven through the signalling engine.
 */
class KurentoBrokerTests {

	static final String OFFER = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
			+ "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\n"
			+ "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
			+ "a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Yl9e\r\na=ice-pwd:Qd+3QfTQdRTVTkKUc0YpmEgp\r\n"
			+ "a=fingerprint:sha-256 8B:1C:4A:56:2E:A3:17:0D:2C:8B:AA:4D:92:5F:1E:3C:"
			+ "6B:25:00:D9:1E:9E:6B:71:3E:57:EA:6E:6B:49:2B:45\r\na=setup:actpass\r\na=mid:0\r\n"
			+ "a=sendonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"
			+ "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sendonly\r\na=rtcp-mux\r\n"
			+ "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\n";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closing) {
			closeable.close();
		}
	}

	@Test
	void theThirdParticipantGetsOnePipelineAndAnEndpointPerPublishAndSubscription() {
		KurentoProtocolStandIn kms = standIn();
		KurentoMediaBroker broker = broker(MediaMode.AUTO, kms.url());
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
		Client[] trio = trio(harness, "c1");
		assertThat(kms.live("MediaPipeline")).isZero();
		String aId = peerId(trio[0]);
		Client c = trio[2];
		c.send(offer(null));
		JsonNode answer = awaitFrame(c, "answer");
		assertThat(answer.get("from").asString()).isEqualTo("sfu");
		assertThat(answer.get("sdp").asString()).contains("a=setup:passive").contains("a=mid:1").contains("a=recvonly");
		JsonNode ice = awaitFrame(c, "ice");
		assertThat(ice.get("from").asString()).isEqualTo("sfu");
		assertThat(ice.get("candidate").get("candidate").asString()).startsWith("candidate:");
		c.send("{\"type\":\"ice\",\"to\":\"sfu\",\"candidate\":{\"candidate\":\"candidate:9 1 udp 1 10.0.0.9 5000 typ host\","
				+ "\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
		c.send(offer(aId));
		JsonNode subscribed = awaitFrame(c, "answer");
		assertThat(subscribed.get("subscribe").asString()).isEqualTo(aId);
		await().atMost(WAIT).until(() -> kms.count("invoke", "addIceCandidate") == 1);

		assertThat(kms.live("MediaPipeline")).isEqualTo(1);
		// c's publication, a's publication (made for the subscription), c's subscription
		assertThat(kms.live("WebRtcEndpoint")).isEqualTo(3);
		assertThat(kms.count("invoke", "connect")).isEqualTo(1);
		assertThat(kms.count("invoke", "processOffer")).isEqualTo(2);
		assertThat(kms.count("invoke", "setMaxVideoRecvBandwidth")).isEqualTo(2);
		assertThat(kms.count("invoke", "setMaxVideoSendBandwidth")).isEqualTo(1);
		assertThat(kms.requests()
			.stream()
			.filter((r) -> "setMaxVideoSendBandwidth".equals(r.what()))
			.map((r) -> r.params().path("operationParams").path("maxVideoSendBandwidth").asInt()))
			.containsExactly(1500);
		assertThat(kms.live("RecorderEndpoint")).isZero();
		MediaServer server = broker.servers().get(0);
		assertThat(server.pipelines()).isEqualTo(1);
		assertThat(server.endpoints()).isEqualTo(3);

		for (Client client : trio) {
			client.send("{\"type\":\"leave\"}");
		}
		await().atMost(WAIT).until(() -> kms.live("MediaPipeline") == 0);
		assertThat(kms.live("WebRtcEndpoint")).isZero();
		await().atMost(WAIT).until(() -> server.pipelines() == 0 && server.endpoints() == 0);
	}

	@Test
	void recordingMovesAPairToTheSfuAndMakesTheRecorderOnlyThen() {
		KurentoProtocolStandIn kms = standIn();
		KurentoMediaBroker broker = broker(MediaMode.AUTO, kms.url());
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
		Client a = harness.client();
		assertThat(a.join(harness.token("c2", "a")).get("media").asString()).isEqualTo("p2p");
		Client b = harness.client();
		b.join(harness.token("c2", "b"));
		a.next();
		b.send(offer(null));
		awaitError(b, "signalling.not-allowed");
		assertThat(kms.count("create", null)).isZero();

		StepVerifier.create(broker.startRecording("c2", "r1", "file:///recordings/r1.webm"))
			.expectComplete()
			.verify(WAIT);
		for (Client client : new Client[] { a, b }) {
			JsonNode media = awaitFrame(client, "media");
			assertThat(media.get("mode").asString()).isEqualTo("sfu");
			assertThat(media.get("reason").asString()).isEqualTo("recording");
		}
		assertThat(kms.live("RecorderEndpoint")).isEqualTo(1);
		KurentoProtocolStandIn.MediaObject recorder = kms.objects("RecorderEndpoint").get(0);
		assertThat(recorder.constructorParams().path("uri").asString()).isEqualTo("file:///recordings/r1.webm");
		assertThat(recorder.constructorParams().path("mediaProfile").asString()).isEqualTo("WEBM");
		assertThat(recorder.state()).isEqualTo("RECORDING");
		// The first to publish is recorded.
		a.send(offer(null));
		awaitFrame(a, "answer");
		await().atMost(WAIT)
			.until(() -> kms.objects("WebRtcEndpoint").stream().anyMatch((e) -> e.sinks().contains(recorder.id())));

		StepVerifier.create(broker.stopRecording("c2", "r1")).expectComplete().verify(WAIT);
		assertThat(kms.count("invoke", "stopAndWait")).isEqualTo(1);
		assertThat(kms.live("RecorderEndpoint")).isZero();
		harness.engine.closeRoom("c2");
		await().atMost(WAIT).until(() -> kms.live("MediaPipeline") == 0);
	}

	@Test
	void aRestartedMediaServerIsNoticedThePeersAreToldAndThePipelineIsRebuilt() {
		KurentoProtocolStandIn kms = standIn();
		KurentoMediaBroker broker = broker(MediaMode.SFU, Duration.ofSeconds(5), kms.url());
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
		Client a = harness.client();
		assertThat(a.join(harness.token("c3", "a")).get("media").asString()).isEqualTo("sfu");
		Client b = harness.client();
		b.join(harness.token("c3", "b"));
		a.send(offer(null));
		awaitFrame(a, "answer");
		assertThat(kms.live("MediaPipeline")).isEqualTo(1);

		kms.restart();
		for (Client client : new Client[] { a, b }) {
			JsonNode media = awaitFrame(client, "media");
			assertThat(media.get("mode").asString()).isEqualTo("sfu");
			assertThat(media.get("reason").asString()).isEqualTo("media-server-restarted");
		}
		a.send(offer(null));
		awaitFrame(a, "answer");
		assertThat(kms.live("MediaPipeline")).isEqualTo(1);
		assertThat(kms.count("create", "MediaPipeline")).isEqualTo(2);
		assertThat(broker.servers().get(0).pipelines()).isEqualTo(1);
	}

	@Test
	void aPeerThatComesBackPublishesAgainAndItsSubscribersAreFedFromTheNewStream() {
		KurentoProtocolStandIn kms = standIn();
		KurentoMediaBroker broker = broker(MediaMode.SFU, kms.url());
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
		Client a = harness.client();
		String aId = a.join(harness.token("c9", "a")).get("peerId").asString();
		Client b = harness.client();
		b.join(harness.token("c9", "b"));
		a.send(offer(null));
		awaitFrame(a, "answer");
		b.send(offer(aId));
		awaitFrame(b, "answer");
		assertThat(kms.live("WebRtcEndpoint")).isEqualTo(2);

		a.connection.closed();
		Client back = harness.client();
		assertThat(back.join(harness.token("c9", "a")).get("peerId").asString()).isEqualTo(aId);
		back.send(offer(null));
		awaitFrame(back, "answer");
		await().atMost(WAIT).until(() -> kms.live("WebRtcEndpoint") == 2 && kms.count("invoke", "connect") == 2);
		String subscription = kms.requests()
			.stream()
			.filter((r) -> "connect".equals(r.what()))
			.map((r) -> r.params().path("operationParams").path("sink").asString())
			.findFirst()
			.orElseThrow();
		assertThat(kms.objects("WebRtcEndpoint")).filteredOn((e) -> e.sinks().contains(subscription)).hasSize(1);
		assertThat(broker.servers().get(0).endpoints()).isEqualTo(2);
	}

	@Test
	void withNoMediaServerReachableAPairStaysPeerToPeerAndRecordingIsRefused() {
		KurentoProtocolStandIn kms = standIn();
		String url = kms.url();
		kms.stop();
		KurentoMediaBroker broker = broker(MediaMode.AUTO, url);
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
		Client[] trio = trio(harness, "c4");
		assertThat(trio[2].frames.get(0)).contains("\"media\":\"p2p\"");
		StepVerifier.create(broker.startRecording("c4", "r2", "file:///recordings/r2.webm"))
			.expectError(RecordingUnavailableException.class)
			.verify(WAIT);
		assertThat(broker.servers().get(0).state()).isEqualTo(MediaServer.State.DOWN);
	}

	@Test
	void aMediaServerThatStaysAwaySendsTheConsultBackToPeerToPeer() {
		KurentoProtocolStandIn kms = standIn();
		KurentoMediaBroker broker = broker(MediaMode.SFU, kms.url());
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
		Client a = harness.client();
		a.join(harness.token("c5", "a"));
		Client b = harness.client();
		b.join(harness.token("c5", "b"));
		a.send(offer(null));
		awaitFrame(a, "answer");
		kms.stop();
		for (Client client : new Client[] { a, b }) {
			JsonNode media = awaitFrame(client, "media");
			assertThat(media.get("mode").asString()).isEqualTo("p2p");
			assertThat(media.get("reason").asString()).isEqualTo("media-server-unreachable");
		}
		a.send(offer(null));
		awaitError(a, "signalling.not-allowed");
	}

	@Test
	void consultsGoToTheLeastLoadedMediaServer() {
		KurentoProtocolStandIn first = standIn();
		KurentoProtocolStandIn second = standIn();
		KurentoMediaBroker broker = broker(MediaMode.SFU, first.url(), second.url());
		EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
		for (String room : List.of("c6", "c7", "c8")) {
			Client a = harness.client();
			a.join(harness.token(room, "a"));
			a.send(offer(null));
			awaitFrame(a, "answer");
		}
		assertThat(first.live("MediaPipeline") + second.live("MediaPipeline")).isEqualTo(3);
		assertThat(first.live("MediaPipeline")).isBetween(1L, 2L);
		assertThat(second.live("MediaPipeline")).isBetween(1L, 2L);
		assertThat(broker.servers()).extracting(MediaServer::endpoints).containsExactlyInAnyOrder(1, 2);
	}

	private KurentoProtocolStandIn standIn() {
		KurentoProtocolStandIn kms = KurentoProtocolStandIn.start();
		this.closing.add(kms);
		return kms;
	}

	private KurentoMediaBroker broker(MediaMode mode, String... urls) {
		return broker(mode, Duration.ofMillis(300), urls);
	}

	private KurentoMediaBroker broker(MediaMode mode, Duration failoverAfter, String... urls) {
		KurentoMediaBroker broker = new KurentoMediaBroker(
				new KurentoSettings(mode, List.of(urls), 1500, failoverAfter, Duration.ofMillis(500)));
		this.closing.add(0, broker);
		broker.start();
		await().atMost(WAIT)
			.until(() -> broker.servers().stream().allMatch((s) -> s.state() != MediaServer.State.CONNECTING));
		return broker;
	}

	private static Client[] trio(EngineHarness harness, String room) {
		Client a = harness.client();
		a.join(harness.token(room, "a"));
		Client b = harness.client();
		b.join(harness.token(room, "b"));
		Client c = harness.client();
		c.join(harness.token(room, "c"));
		a.unread();
		b.unread();
		return new Client[] { a, b, c };
	}

	private static String offer(String subscribe) {
		return "{\"type\":\"offer\",\"to\":\"sfu\""
				+ ((subscribe != null) ? ",\"subscribe\":\"" + subscribe + "\"" : "") + ",\"sdp\":"
				+ EngineHarness.json.writeValueAsString(OFFER) + "}";
	}

	private static String peerId(Client client) {
		return EngineHarness.json.readTree(client.frames.get(0)).get("peerId").asString();
	}

	/** Waits for the next unread frame of a type, skipping others. */
	static JsonNode awaitFrame(Client client, String type) {
		JsonNode[] found = new JsonNode[1];
		await().atMost(WAIT).alias("a '" + type + "' frame among " + client.frames).until(() -> {
			while (client.hasUnread()) {
				JsonNode frame = client.next();
				if (frame.get("type").asString().equals(type)) {
					found[0] = frame;
					return true;
				}
			}
			return false;
		});
		return found[0];
	}

	static void awaitError(Client client, String code) {
		assertThat(awaitFrame(client, "error").get("code").asString()).isEqualTo(code);
	}

}
