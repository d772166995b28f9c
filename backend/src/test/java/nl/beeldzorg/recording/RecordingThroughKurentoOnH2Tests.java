package nl.beeldzorg.recording;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.signalling.kurento.KurentoProtocolStandIn;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.SignallingTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recording through the Kurento broker in mode {@code auto}, against the Kurento protocol
 * stand-in (no Kurento Media Server runs here): no RecorderEndpoint before consent, a
 * WEBM recorder at the URI under the recordings directory once consent is recorded, the
 * peers moved to the SFU and told the recording started, stopped by DELETE.
 */
class RecordingThroughKurentoOnH2Tests extends DemoApplicationTests {

	static final KurentoProtocolStandIn kurento = KurentoProtocolStandIn.start();

	static final Path directory = temporary();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-recording-kurento");
		registry.add("beeldzorg.database.url", () -> url);
		registry.add("beeldzorg.media.mode", () -> "auto");
		registry.add("beeldzorg.media.kurento-urls", kurento::url);
		registry.add("beeldzorg.recordings.directory", directory::toString);
	}

	@AfterAll
	static void stopKurento() {
		kurento.close();
	}

	private static Path temporary() {
		try {
			return Files.createTempDirectory("beeldzorg-recordings-kurento");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void theRecorderIsMadeOnlyAfterConsentAndWritesUnderTheDirectory() {
		present("so.sophie");
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		JsonNode started = this.api
			.post("/api/v1/consults", nurse,
					Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-4711", "urgency",
							"URGENT", "requestedDiscipline", "SO", "consultantId", this.api.userId("so.sophie")),
					HttpStatus.CREATED);
		String id = started.get("id").asString();
		JsonNode accepted = this.api.post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK);
		try (SignallingTestClient glasses = SignallingTestClient.connect(this.port);
				SignallingTestClient app = SignallingTestClient.connect(this.port)) {
			assertThat(glasses.join(started.get("join").get("token").asString()).get("media").asString())
				.isEqualTo("p2p");
			app.join(accepted.get("join").get("token").asString());

			this.api.post("/api/v1/consults/" + id + "/recording", sophie, Map.of("consent", Map.of()),
					HttpStatus.UNPROCESSABLE_CONTENT);
			assertThat(kurento.count("create", "RecorderEndpoint")).as("no recorder without consent").isZero();

			String recordingId = this.api
				.post("/api/v1/consults/" + id + "/recording", sophie, Map.of("consent", Map.of("givenBy", "CLIENT")),
						HttpStatus.CREATED)
				.get("recordingId")
				.asString();
			await().atMost(Duration.ofSeconds(10)).until(() -> kurento.objects("RecorderEndpoint").size() == 1);
			JsonNode recorder = kurento.objects("RecorderEndpoint").get(0).constructorParams();
			assertThat(recorder.get("uri").asString()).startsWith("file:///")
				.endsWith(directory.toAbsolutePath() + "/zga/" + id + "/" + recordingId + ".webm");
			assertThat(recorder.get("mediaProfile").asString()).isEqualTo("WEBM");
			for (SignallingTestClient peer : List.of(glasses, app)) {
				JsonNode media = peer.nextOfType("media");
				assertThat(media.get("mode").asString()).isEqualTo("sfu");
				assertThat(peer.nextOfType("recording").get("state").asString()).isEqualTo("started");
			}
			this.api.send(HttpMethod.DELETE, "/api/v1/consults/" + id + "/recording", sophie, null, HttpStatus.OK);
			assertThat(glasses.nextOfType("recording").get("state").asString()).isEqualTo("stopped");
			assertThat(kurento.count("invoke", "stopAndWait")).isPositive();
		}
		this.api.post("/api/v1/consults/" + id + "/end", nurse, HttpStatus.OK);
	}

}
