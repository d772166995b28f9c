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
import org.jspecify.annotations.Nullable;
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
 * peers moved to the SFU and told the recording started, stopped by DELETE; and a
 * recording whose media server restarts is completed (stopped by
 * {@code system:media-server}) rather than left "running" with nothing recording it.
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
		registry.add("beeldzorg.media.probe-interval", () -> "500ms");
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
		Call call = startAndAccept("K-4711");
		String sophie = call.sophie();
		String id = call.id();
		try (SignallingTestClient glasses = SignallingTestClient.connect(this.port);
				SignallingTestClient app = SignallingTestClient.connect(this.port)) {
			assertThat(glasses.join(call.glassesToken()).get("media").asString()).isEqualTo("p2p");
			app.join(call.appToken());

			long recordersBefore = kurento.count("create", "RecorderEndpoint");
			this.api.post("/api/v1/consults/" + id + "/recording", sophie, Map.of("consent", Map.of()),
					HttpStatus.UNPROCESSABLE_CONTENT);
			assertThat(kurento.count("create", "RecorderEndpoint")).as("no recorder without consent")
				.isEqualTo(recordersBefore);

			String recordingId = this.api
				.post("/api/v1/consults/" + id + "/recording", sophie, Map.of("consent", Map.of("givenBy", "CLIENT")),
						HttpStatus.CREATED)
				.get("recordingId")
				.asString();
			await().atMost(Duration.ofSeconds(10)).until(() -> recorderOf(id) != null);
			JsonNode recorder = recorderOf(id);
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
		this.api.post("/api/v1/consults/" + id + "/end", call.nurse(), HttpStatus.OK);
	}

	@Test
	void aRecordingWhoseMediaServerRestartsIsCompletedAndANewOneCanStart() {
		Call call = startAndAccept("K-4712");
		String sophie = call.sophie();
		String id = call.id();
		try (SignallingTestClient glasses = SignallingTestClient.connect(this.port);
				SignallingTestClient app = SignallingTestClient.connect(this.port)) {
			glasses.join(call.glassesToken());
			app.join(call.appToken());
			String first = this.api
				.post("/api/v1/consults/" + id + "/recording", sophie,
						Map.of("consent", Map.of("givenBy", "REPRESENTATIVE")), HttpStatus.CREATED)
				.get("recordingId")
				.asString();
			assertThat(glasses.nextOfType("recording").get("state").asString()).isEqualTo("started");

			kurento.restart();

			// The pages hear that the recording stopped and the media was rebuilt ...
			assertThat(glasses.nextOfType("recording").get("state").asString()).isEqualTo("stopped");
			// ... and the record agrees: stopped by the lost media server, not "running".
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				JsonNode listed = this.api.get("/api/v1/consults/" + id + "/recordings", sophie, HttpStatus.OK);
				assertThat(listed).hasSize(1);
				assertThat(listed.get(0).get("id").asString()).isEqualTo(first);
				assertThat(listed.get(0).get("state").asString()).isEqualTo("STOPPED");
				assertThat(listed.get(0).get("stoppedBy").asString()).isEqualTo("system:media-server");
			});
			// A party may record again on the rebuilt media.
			String second = this.api
				.post("/api/v1/consults/" + id + "/recording", sophie,
						Map.of("consent", Map.of("givenBy", "REPRESENTATIVE")), HttpStatus.CREATED)
				.get("recordingId")
				.asString();
			assertThat(second).isNotEqualTo(first);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				JsonNode recorder = recorderOf(id);
				return recorder != null && recorder.get("uri").asString().endsWith(second + ".webm");
			});
		}
		this.api.post("/api/v1/consults/" + id + "/end", call.nurse(), HttpStatus.OK);
	}

	/** The constructor parameters of the live recorder writing under this consult. */
	private static @Nullable JsonNode recorderOf(String consultId) {
		return kurento.objects("RecorderEndpoint")
			.stream()
			.map(KurentoProtocolStandIn.MediaObject::constructorParams)
			.filter((params) -> params.get("uri").asString().contains("/" + consultId + "/"))
			.findFirst()
			.orElse(null);
	}

	/** A bedside consult from nurse Anna, accepted by Sophie (SO). */
	private Call startAndAccept(String clientRef) {
		present("so.sophie");
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		JsonNode started = this.api
			.post("/api/v1/consults", nurse,
					Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", clientRef, "urgency",
							"URGENT", "requestedDiscipline", "SO", "consultantId", this.api.userId("so.sophie")),
					HttpStatus.CREATED);
		String id = started.get("id").asString();
		return new Call(nurse, sophie, id, started,
				this.api.post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK));
	}

	private record Call(String nurse, String sophie, String id, JsonNode started, JsonNode accepted) {

		String glassesToken() {
			return this.started.get("join").get("token").asString();
		}

		String appToken() {
			return this.accepted.get("join").get("token").asString();
		}

	}

}
