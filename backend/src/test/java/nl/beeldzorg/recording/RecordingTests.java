package nl.beeldzorg.recording;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.MutableClock;
import nl.beeldzorg.support.RecordingTestBroker;
import nl.beeldzorg.support.SignallingTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recording only with recorded consent (issue 15), against a broker that writes files as
 * a media server would ({@link RecordingTestBroker}): the consent is committed before the
 * broker is asked; without consent nothing is stored; a broker that cannot record leaves
 * no half-started recording; both peers' sockets hear {@code recording}; the list and the
 * file are for the parties and the institution's ADMIN only, each access audited; the end
 * of the consult stops the recording; the retention deletes the file.
 */
@Import({ RecordingTestBroker.Configuration.class, MutableClock.Configuration.class })
abstract class RecordingTests extends DemoApplicationTests {

	static final Path directory = temporaryDirectory();

	@DynamicPropertySource
	static void recordings(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.recordings.directory", directory::toString);
	}

	@AfterAll
	static void removeFiles() throws IOException {
		try (var files = Files.walk(directory)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("beeldzorg-recordings");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Autowired
	RecordingTestBroker broker;

	@Autowired
	DatabaseClient db;

	@Autowired
	MutableClock clock;

	@Autowired
	RecordingRetention retention;

	String nurse;

	String sophie;

	@BeforeEach
	void soOpensHerApp() {
		this.clock.set(Instant.now());
		this.broker.clear();
		present("so.sophie");
		this.nurse = this.api.token("nurse.anna");
		this.sophie = this.api.token("so.sophie");
	}

	/** A consult both parties joined: [id, nurse's join token, SO's join token]. */
	private String[] activeConsult() {
		JsonNode started = this.api
			.post("/api/v1/consults", this.nurse,
					Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-4711", "urgency",
							"URGENT", "requestedDiscipline", "SO", "consultantId", this.api.userId("so.sophie")),
					HttpStatus.CREATED);
		String id = started.get("id").asString();
		JsonNode accepted = this.api.post("/api/v1/consults/" + id + "/accept", this.sophie, HttpStatus.OK);
		return new String[] { id, started.get("join").get("token").asString(),
				accepted.get("join").get("token").asString() };
	}

	private JsonNode startRecording(String id, String token, Object body, String key, HttpStatus status) {
		return this.api.http().post().uri("/api/v1/consults/" + id + "/recording").headers((h) -> {
			h.setBearerAuth(token);
			if (key != null) {
				h.set("Idempotency-Key", key);
			}
		})
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isEqualTo(status)
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private long rows(String id) {
		return this.db.sql("SELECT COUNT(*) AS n FROM recording WHERE consult_id = :c")
			.bind("c", UUID.fromString(id))
			.map((row) -> row.get("n", Long.class))
			.one()
			.block(Duration.ofSeconds(10));
	}

	private List<String> audit(String id) {
		return this.db.sql("SELECT actor_id, action, detail FROM audit_event WHERE consult_id = :c ORDER BY seq")
			.bind("c", UUID.fromString(id))
			.map((row) -> row.get("actor_id", String.class) + " " + row.get("action", String.class) + " "
					+ row.get("detail", String.class))
			.all()
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	@Test
	void consentFirstThenTheRecorderAndEveryPeerIsToldAndOnlyPartiesAndTheAdminFetchItAudited() throws Exception {
		String[] consult = activeConsult();
		String id = consult[0];
		String nurseId = this.api.userId("nurse.anna");
		try (SignallingTestClient glasses = SignallingTestClient.connect(this.port);
				SignallingTestClient app = SignallingTestClient.connect(this.port)) {
			assertThat(glasses.join(consult[1]).get("type").asString()).isEqualTo("joined");
			assertThat(app.join(consult[2]).get("type").asString()).isEqualTo("joined");

			// Without consent: 422, nothing stored, the broker never asked.
			for (Object body : List.of(Map.of(), Map.of("consent", Map.of()),
					Map.of("consent", Map.of("note", "mondeling")))) {
				JsonNode refused = startRecording(id, this.nurse, body, null, HttpStatus.UNPROCESSABLE_CONTENT);
				assertThat(refused.get("code").asString()).isEqualTo("recording.consent-required");
			}
			JsonNode bsn = startRecording(id, this.nurse,
					Map.of("consent", Map.of("givenBy", "CLIENT", "note", "BSN 111222333")), null,
					HttpStatus.UNPROCESSABLE_CONTENT);
			assertThat(bsn.get("code").asString()).isEqualTo("privacy.text-contains-bsn");
			assertThat(rows(id)).isZero();
			assertThat(this.broker.calls()).isEmpty();

			// Not a party: another institution finds no consult; the ADMIN is told.
			assertThat(startRecording(id, this.api.token("nurse.bram"), Map.of("consent", Map.of("givenBy", "CLIENT")),
					null, HttpStatus.NOT_FOUND)
				.get("code")
				.asString()).isEqualTo("consult.not-found");
			assertThat(startRecording(id, this.api.token("admin.ada"), Map.of("consent", Map.of("givenBy", "CLIENT")),
					null, HttpStatus.FORBIDDEN)
				.get("code")
				.asString()).isEqualTo("consult.not-a-party");
			assertThat(rows(id)).isZero();

			Map<String, Object> consent = Map.of("consent",
					Map.of("givenBy", "REPRESENTATIVE", "note", "Dochter (vertegenwoordiger) stemde mondeling in"));
			JsonNode started = startRecording(id, this.nurse, consent, "rec-1", HttpStatus.CREATED);
			String recordingId = started.get("recordingId").asString();
			assertThat(started.get("startedAt").isNull()).isFalse();
			// The broker saw the consent row already committed when it was asked.
			assertThat(this.broker.calls()).hasSize(1);
			assertThat(this.broker.calls().get(0)).startsWith("start " + recordingId + " file:")
				.endsWith("/" + id + "/" + recordingId + ".webm consent=REPRESENTATIVE")
				.contains(directory.toString() + "/zga/");

			for (SignallingTestClient peer : List.of(glasses, app)) {
				JsonNode message = peer.nextOfType("recording");
				assertThat(message.get("state").asString()).isEqualTo("started");
				assertThat(message.get("recordingId").asString()).isEqualTo(recordingId);
			}

			// The same request again answers the same; another one is refused.
			JsonNode again = startRecording(id, this.nurse, consent, "rec-1", HttpStatus.OK);
			assertThat(again.get("recordingId").asString()).isEqualTo(recordingId);
			JsonNode reused = startRecording(id, this.nurse, Map.of("consent", Map.of("givenBy", "CLIENT")), "rec-1",
					HttpStatus.UNPROCESSABLE_CONTENT);
			assertThat(reused.get("code").asString()).isEqualTo("request.idempotency-key-reused");
			JsonNode second = startRecording(id, this.sophie, Map.of("consent", Map.of("givenBy", "CLIENT")), "rec-2",
					HttpStatus.CONFLICT);
			assertThat(second.get("code").asString()).isEqualTo("recording.already-running");
			assertThat(this.broker.calls()).hasSize(1);

			// Not ready for download while it runs.
			this.api.get("/api/v1/recordings/" + recordingId, this.sophie, HttpStatus.NOT_FOUND);

			JsonNode stopped = this.api.send(HttpMethod.DELETE, "/api/v1/consults/" + id + "/recording", this.sophie,
					null, HttpStatus.OK);
			assertThat(stopped.get("state").asString()).isEqualTo("STOPPED");
			assertThat(stopped.get("sizeBytes").asLong()).isEqualTo(16);
			for (SignallingTestClient peer : List.of(glasses, app)) {
				JsonNode message = peer.nextOfType("recording");
				assertThat(message.get("state").asString()).isEqualTo("stopped");
				assertThat(message.get("recordingId").asString()).isEqualTo(recordingId);
			}
			this.api.http()
				.delete()
				.uri("/api/v1/consults/" + id + "/recording")
				.headers((h) -> h.setBearerAuth(this.sophie))
				.exchange()
				.expectStatus()
				.isNoContent();
		}

		JsonNode list = this.api.get("/api/v1/consults/" + id + "/recordings", this.nurse, HttpStatus.OK);
		assertThat(list).hasSize(1);
		JsonNode item = list.get(0);
		String recordingId = item.get("id").asString();
		assertThat(item.get("consent").get("givenBy").asString()).isEqualTo("REPRESENTATIVE");
		assertThat(item.get("consent").get("note").asString()).contains("vertegenwoordiger");
		assertThat(item.get("recordedBy").asString()).isEqualTo(nurseId);
		assertThat(item.get("stoppedBy").asString()).isEqualTo(this.api.userId("so.sophie"));
		assertThat(Duration.between(OffsetDateTime.parse(item.get("stoppedAt").asString()),
				OffsetDateTime.parse(item.get("expiresAt").asString())))
			.isEqualTo(Duration.ofDays(90));

		byte[] expected = Files.readAllBytes(Paths.get(URI.create(this.broker.calls().get(0).split(" ")[2])));
		assertThat(expected).hasSize(16);
		for (String reader : List.of("nurse.anna", "so.sophie", "admin.ada")) {
			byte[] body = this.api.http()
				.get()
				.uri("/api/v1/recordings/" + recordingId)
				.headers((h) -> h.setBearerAuth(this.api.token(reader)))
				.exchange()
				.expectStatus()
				.isOk()
				.expectHeader()
				.contentType("video/webm")
				.expectBody(byte[].class)
				.returnResult()
				.getResponseBody();
			assertThat(body).as(reader).isEqualTo(expected);
		}
		byte[] range = this.api.http().get().uri("/api/v1/recordings/" + recordingId).headers((h) -> {
			h.setBearerAuth(this.sophie);
			h.set("Range", "bytes=0-3");
		})
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.PARTIAL_CONTENT)
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(range).containsExactly(0x1A, 0x45, 0xDF, 0xA3);

		// Everyone else: the same 404 as an unknown id, and no record of a read.
		for (String outsider : List.of("nurse.bram", "so.lotte", "so.daan", "programme.pim")) {
			String token = this.api.token(outsider);
			assertThat(this.api.get("/api/v1/recordings/" + recordingId, token, HttpStatus.NOT_FOUND)
				.get("code")
				.asString()).isEqualTo("recording.not-found");
			this.api.get("/api/v1/consults/" + id + "/recordings", token, HttpStatus.NOT_FOUND);
		}
		assertThat(this.api.get("/api/v1/recordings/" + UUID.randomUUID(), this.sophie, HttpStatus.NOT_FOUND)
			.get("code")
			.asString()).isEqualTo("recording.not-found");

		List<String> trail = audit(id);
		assertThat(trail).containsSubsequence(
				nurseId + " RECORDING_CONSENTED consent given by REPRESENTATIVE, recording " + recordingId,
				nurseId + " RECORDING_STARTED recording " + recordingId);
		assertThat(trail).anyMatch((line) -> line.startsWith(this.api.userId("so.sophie") + " RECORDING_STOPPED"));
		assertThat(trail).contains(nurseId + " READ consult.recordings",
				this.api.userId("admin.ada") + " READ recording " + recordingId,
				nurseId + " READ recording " + recordingId);
		assertThat(trail.stream().filter((line) -> line.contains(" READ recording ")).count()).as("one per fetch")
			.isEqualTo(4);
		assertThat(trail).noneMatch((line) -> line.startsWith(this.api.userId("nurse.bram") + " READ"));
		this.api.post("/api/v1/consults/" + id + "/end", this.nurse, HttpStatus.OK);
	}

	@Test
	void aBrokerThatCannotRecordLeavesNoHalfStartedRecording() {
		String[] consult = activeConsult();
		String id = consult[0];
		try (SignallingTestClient glasses = SignallingTestClient.connect(this.port)) {
			glasses.join(consult[1]);
			this.broker.failNextStart();
			JsonNode refused = startRecording(id, this.sophie, Map.of("consent", Map.of("givenBy", "CLIENT")), "k-1",
					HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(refused.get("code").asString()).isEqualTo("recording.unavailable");
			assertThat(this.broker.calls()).singleElement().asString().endsWith("consent=CLIENT");
			Path file = Paths.get(URI.create(this.broker.calls().get(0).split(" ")[2]));
			assertThat(file).doesNotExist();
			JsonNode list = this.api.get("/api/v1/consults/" + id + "/recordings", this.sophie, HttpStatus.OK);
			assertThat(list).hasSize(1);
			assertThat(list.get(0).get("state").asString()).isEqualTo("FAILED");
			assertThat(audit(id)).anyMatch((line) -> line.contains("RECORDING_FAILED"));

			// Nothing runs: a new attempt (even with the same key) records.
			JsonNode started = startRecording(id, this.sophie, Map.of("consent", Map.of("givenBy", "CLIENT")), "k-1",
					HttpStatus.CREATED);
			JsonNode message = glasses.nextOfType("recording");
			assertThat(message.get("state").asString()).isEqualTo("started");
			assertThat(message.get("recordingId").asString()).isEqualTo(started.get("recordingId").asString())
				.isNotEqualTo(list.get(0).get("id").asString());
		}
		this.api.post("/api/v1/consults/" + id + "/end", this.nurse, HttpStatus.OK);
	}

	@Test
	void theEndOfTheConsultStopsTheRecordingBeforeTheRoomCloses() {
		String[] consult = activeConsult();
		String id = consult[0];
		try (SignallingTestClient glasses = SignallingTestClient.connect(this.port)) {
			glasses.join(consult[1]);
			String recordingId = startRecording(id, this.nurse, Map.of("consent", Map.of("givenBy", "CLIENT")), null,
					HttpStatus.CREATED)
				.get("recordingId")
				.asString();
			assertThat(glasses.nextOfType("recording").get("state").asString()).isEqualTo("started");
			this.api.post("/api/v1/consults/" + id + "/end", this.sophie, HttpStatus.OK);
			JsonNode stopped = glasses.nextOfType("recording");
			assertThat(stopped.get("state").asString()).isEqualTo("stopped");
			assertThat(stopped.get("recordingId").asString()).isEqualTo(recordingId);
			assertThat(glasses.next().get("type").asString()).isEqualTo("ended");
			assertThat(this.broker.calls()).last().isEqualTo("stop " + recordingId);
		}
		JsonNode item = this.api.get("/api/v1/consults/" + id + "/recordings", this.sophie, HttpStatus.OK).get(0);
		assertThat(item.get("state").asString()).isEqualTo("STOPPED");
		assertThat(item.get("stoppedBy").asString()).isEqualTo("system:recordings");
		JsonNode ended = startRecording(id, this.nurse, Map.of("consent", Map.of("givenBy", "CLIENT")), null,
				HttpStatus.CONFLICT);
		assertThat(ended.get("code").asString()).isEqualTo("consult.invalid-state");
	}

	@Test
	void theRetentionDeletesTheFileAndMarksTheRecordingDeleted() {
		String[] consult = activeConsult();
		String id = consult[0];
		String recordingId = startRecording(id, this.nurse, Map.of("consent", Map.of("givenBy", "CLIENT")), null,
				HttpStatus.CREATED)
			.get("recordingId")
			.asString();
		this.api.send(HttpMethod.DELETE, "/api/v1/consults/" + id + "/recording", this.nurse, null, HttpStatus.OK);
		this.api.post("/api/v1/consults/" + id + "/end", this.nurse, HttpStatus.OK);
		Path file = Paths.get(URI.create(this.broker.calls().get(0).split(" ")[2]));
		assertThat(file).exists();

		this.clock.advance(Duration.ofDays(89));
		assertThat(this.retention.sweep().block(Duration.ofSeconds(30))).isZero();
		assertThat(file).exists();
		this.clock.advance(Duration.ofDays(1).plusMinutes(1));
		// This one, and those the other tests of this class left.
		assertThat(this.retention.sweep().block(Duration.ofSeconds(30))).isPositive();
		assertThat(file).doesNotExist();
		assertThat(this.retention.sweep().block(Duration.ofSeconds(30))).as("once").isZero();
		String state = this.db.sql("SELECT state FROM recording WHERE id = :id")
			.bind("id", UUID.fromString(recordingId))
			.map((row) -> row.get("state", String.class))
			.one()
			.block(Duration.ofSeconds(10));
		assertThat(state).isEqualTo("DELETED");
		assertThat(audit(id)).anyMatch((line) -> line.startsWith(
				"system:recordings RECORDING_DELETED recording " + recordingId + " after the retention of PT2160H"));
		this.clock.set(Instant.now());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(this.api.get("/api/v1/recordings/" + recordingId, this.nurse, HttpStatus.NOT_FOUND)
						.get("code")
						.asString()).isEqualTo("recording.not-found"));
	}

}
