package nl.beeldzorg.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.SignallingTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logs as production writes them (one ECS JSON object per line, as
 * {@code application-production.properties} sets) carry no access token, join token,
 * client reference or question, through a whole consult and the refusals and failures
 * that are most tempting to log with their input.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "logging.structured.format.console=ecs", "logging.structured.ecs.service.name=beeldzorg",
				// Our own code at its most talkative: not even debug lines may carry
				// them.
				"logging.level.nl.beeldzorg=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
class LogsWithoutPatientDataTests extends DemoApplicationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CLIENT_REF = "K-LOGPROBE-7731";

	private static final String QUESTION = "Mevrouw is gevallen, pijn in de heup, logprobe-vraag";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-logs");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void aWholeConsultAndItsRefusalsLeaveNoTokenReferenceOrQuestionInTheLogs(CapturedOutput output) {
		// Lines before this one may come from before the context turned ECS on (in a run
		// that shares the JVM with other contexts): only what follows must be JSON.
		int start = output.getAll().length();
		present("so.sophie");
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		List<String> secrets = new ArrayList<>(List.of(CLIENT_REF, QUESTION, nurse, sophie));

		JsonNode started = this.api.post("/api/v1/consults", nurse,
				Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", CLIENT_REF, "question",
						QUESTION, "urgency", "URGENT", "requestedDiscipline", "SO", "consultantId",
						this.api.userId("so.sophie")),
				HttpStatus.CREATED);
		String id = started.get("id").asString();
		JsonNode accepted = this.api.post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK);
		String nurseJoin = started.get("join").get("token").asString();
		String sophieJoin = accepted.get("join").get("token").asString();
		secrets.add(nurseJoin);
		secrets.add(sophieJoin);
		try (SignallingTestClient a = SignallingTestClient.connect(this.port);
				SignallingTestClient b = SignallingTestClient.connect(this.port)) {
			a.join(nurseJoin);
			b.join(sophieJoin);
			// A join with a tampered token, and a frame that is no JSON.
			try (SignallingTestClient c = SignallingTestClient.connect(this.port)) {
				c.join(nurseJoin + "x");
			}
			a.send("{not json " + CLIENT_REF);
		}
		this.api.get("/api/v1/consults/" + id, sophie, HttpStatus.OK);
		this.api.post("/api/v1/consults/" + id + "/end", nurse, HttpStatus.OK);
		// Refusals whose input is the very thing not to log.
		this.api.post("/api/v1/consults", nurse, Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef",
				"BSN111222333", "question", QUESTION, "urgency", "URGENT"), HttpStatus.UNPROCESSABLE_CONTENT);
		this.api.post("/api/v1/consults", nurse, Map.of("kind", "BEDSIDE", "locationId", "no-such-ward", "clientRef",
				CLIENT_REF, "question", QUESTION, "urgency", "URGENT"), HttpStatus.UNPROCESSABLE_CONTENT);
		this.api.get("/api/v1/consults/" + id, nurse + "tampered", HttpStatus.UNAUTHORIZED);
		this.api.get("/api/v1/audit/accesses?clientRef=" + CLIENT_REF, this.api.token("admin.ada"), HttpStatus.OK);

		String logs = output.getAll();
		assertThat(logs).as("the run logged something").contains("\"service\":{\"name\":\"beeldzorg\"");
		for (String secret : secrets) {
			assertThat(logs).as("logs hold no token, client reference or question").doesNotContain(secret);
		}
		assertThat(logs).doesNotContain("111222333");
		for (String line : logs.substring(start).split("\\R")) {
			if (line.isBlank()) {
				continue;
			}
			JsonNode entry = JSON.readTree(line);
			assertThat(entry.has("@timestamp")).as("one JSON log object per line: " + line).isTrue();
			assertThat(entry.path("log").path("level").asString()).isNotEmpty();
		}
	}

}
