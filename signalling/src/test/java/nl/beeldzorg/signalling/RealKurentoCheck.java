package nl.beeldzorg.signalling;

import java.time.Duration;
import java.util.List;

import nl.beeldzorg.signalling.EngineHarness.Client;
import nl.beeldzorg.signalling.kurento.KurentoMediaBroker;
import nl.beeldzorg.signalling.kurento.KurentoSettings;
import nl.beeldzorg.signalling.kurento.MediaMode;
import nl.beeldzorg.signalling.kurento.MediaServer;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker against a <strong>real</strong> Kurento Media Server, outside the default
 * test run (it needs one): {@code ./mvnw -pl signalling test -Preal-kurento
 * -Dkurento.url=ws://localhost:8888/kurento}, e.g. with {@code infra/compose.yaml}'s
 * {@code kurento} service. It checks what the stand-in can only imitate: KMS answers a
 * browser offer, trickles candidates, connects a subscription, records to a file and
 * releases the pipeline. Not run where this was written (no KMS there).
 */
class RealKurentoCheck {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	void aRealMediaServerAnswersRecordsAndReleases() {
		String url = System.getProperty("kurento.url");
		assertThat(url).as("-Dkurento.url=ws://…/kurento").isNotBlank();
		try (KurentoMediaBroker broker = new KurentoMediaBroker(
				new KurentoSettings(MediaMode.SFU, List.of(url), 1500, Duration.ofSeconds(3), Duration.ofSeconds(5)))) {
			broker.start();
			await().atMost(WAIT).until(() -> broker.servers().get(0).state() == MediaServer.State.UP);
			EngineHarness harness = new EngineHarness(SignallingSettings.DEFAULTS, broker);
			Client a = harness.client();
			String aId = a.join(harness.token("real", "a")).get("peerId").asString();
			Client b = harness.client();
			b.join(harness.token("real", "b"));
			a.send(offer(null));
			JsonNode answer = KurentoBrokerTests.awaitFrame(a, "answer");
			assertThat(answer.get("sdp").asString()).contains("a=mid:0").contains("a=mid:1");
			assertThat(KurentoBrokerTests.awaitFrame(a, "ice").get("from").asString()).isEqualTo("sfu");
			b.send(offer(aId));
			assertThat(KurentoBrokerTests.awaitFrame(b, "answer").get("subscribe").asString()).isEqualTo(aId);
			StepVerifier.create(broker.startRecording("real", "r", "file:///tmp/beeldzorg-real-kurento.webm"))
				.expectComplete()
				.verify(WAIT);
			StepVerifier.create(broker.stopRecording("real", "r")).expectComplete().verify(WAIT);
			assertThat(broker.servers().get(0).pipelines()).isEqualTo(1);
			harness.engine.closeRoom("real");
			await().atMost(WAIT).until(() -> broker.servers().get(0).pipelines() == 0);
		}
	}

	private static String offer(String subscribe) {
		return "{\"type\":\"offer\",\"to\":\"sfu\""
				+ ((subscribe != null) ? ",\"subscribe\":\"" + subscribe + "\"" : "") + ",\"sdp\":"
				+ EngineHarness.json.writeValueAsString(KurentoBrokerTests.OFFER) + "}";
	}

}
