package nl.beeldzorg.consult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.SignallingTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stepped care: with it switched on, a nurse's SO consult rings the VS first; the VS
 * takes it and, in the call, presses "Escalate": the SO rings, accepts, and joins the
 * same room.
 */
class SteppedCareTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-stepped");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void vsTakesItFirstThenEscalatesAndTheSoJoinsTheSameRoom() {
		present("vs.vera", "so.sophie");
		this.api.put("/api/v1/admin/institution", this.api.token("admin.ada"),
				Map.of("name", "Zorggroep Apeldoorn", "steppedCare", true), HttpStatus.OK);
		String nurse = this.api.token("nurse.anna");
		String vera = this.api.token("vs.vera");
		String sophie = this.api.token("so.sophie");
		JsonNode started = this.api.post("/api/v1/consults", nurse, Map.of("kind", "BEDSIDE", "locationId",
				"zga-de-sprengel", "clientRef", "K-STEP", "urgency", "URGENT", "requestedDiscipline", "SO"),
				HttpStatus.CREATED);
		String id = started.get("id").asString();
		assertThat(userIds(started.get("ringing"))).containsExactly(this.api.userId("vs.vera"));
		assertThat(this.api.get("/api/v1/consults?state=RINGING", sophie, HttpStatus.OK)).isEmpty();

		JsonNode accepted = this.api.post("/api/v1/consults/" + id + "/accept", vera, HttpStatus.OK);
		// Only the VS or PA of the call escalates.
		assertThat(this.api.post("/api/v1/consults/" + id + "/escalate", nurse, HttpStatus.FORBIDDEN)
			.get("code")
			.asString()).isEqualTo("consult.not-a-party");
		this.api.post("/api/v1/consults/" + id + "/escalate", vera, HttpStatus.OK);
		JsonNode inbox = this.api.get("/api/v1/consults?state=RINGING", sophie, HttpStatus.OK);
		assertThat(inbox).hasSize(1);
		assertThat(inbox.get(0).get("id").asString()).isEqualTo(id);

		JsonNode joined = this.api.post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK);
		assertThat(joined.get("state").asString()).isEqualTo("ACTIVE");
		assertThat(joined.get("consultant").get("userId").asString()).isEqualTo(this.api.userId("vs.vera"));
		assertThat(joined.path("join").path("token").isMissingNode()).isFalse();
		try (SignallingTestClient a = SignallingTestClient.connect(this.port);
				SignallingTestClient b = SignallingTestClient.connect(this.port);
				SignallingTestClient c = SignallingTestClient.connect(this.port)) {
			a.join(started.get("join").get("token").asString());
			b.join(accepted.get("join").get("token").asString());
			JsonNode third = c.join(joined.get("join").get("token").asString());
			assertThat(third.get("peers")).hasSize(2);
		}
		List<String> actions = new ArrayList<>();
		this.api.get("/api/v1/consults/" + id + "/audit", nurse, HttpStatus.OK)
			.forEach((record) -> actions.add(record.get("action").asString()));
		assertThat(actions).containsSubsequence("ACCEPTED", "ESCALATED", "RUNG", "ACCEPTED");
	}

	private static List<String> userIds(JsonNode parties) {
		List<String> ids = new ArrayList<>();
		parties.forEach((p) -> ids.add(p.get("userId").asString()));
		return ids;
	}

}
