package nl.beeldzorg.ledger;

import java.util.List;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From a real consult to its ledger: outcome, idempotent retry, correction by reversal,
 * estimates, lost time, and who may read it. Demo mode (its seeded bases and travel
 * times).
 */
abstract class TimeSavedEndToEndTests extends DemoApplicationTests {

	@org.junit.jupiter.api.BeforeEach
	void consultantsOpenTheirApp() {
		present("so.sophie");
	}

	@Test
	void outcomeIsValuedRetriedSafelyAndCorrectedByReversal() {
		String nurse = token("nurse.anna");
		String sophie = token("so.sophie");
		String id = connectedAndEnded(nurse, sophie, userId("so.sophie"), "zga-de-sprengel");

		Map<String, Object> outcome = Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHYSICAL_VISIT",
				"handoverMinutes", 10);
		assertThat(put(id, nurse, outcome, HttpStatus.FORBIDDEN).get("code").asString())
			.isEqualTo("outcome.not-the-consultant");
		assertThat(put(id, token("so.lotte"), outcome, HttpStatus.FORBIDDEN).get("code").asString())
			.isEqualTo("outcome.not-the-consultant");
		assertThat(put(id, sophie, Map.of("resolution", "SOLVED", "withoutVideo", "NOTHING"), HttpStatus.BAD_REQUEST)
			.get("code")
			.asString()).isEqualTo("request.invalid");

		JsonNode first = put(id, sophie, outcome, HttpStatus.OK);
		assertThat(first.get("outcome").get("version").asInt()).isEqualTo(1);
		assertThat(first.get("totals").get("travelMinutesSaved").asInt()).isEqualTo(24);
		assertThat(first.get("totals").get("handoverMinutesSaved").asInt()).isEqualTo(10);
		assertThat(first.get("totals").get("minutesSaved").asInt()).isEqualTo(34);
		JsonNode travel = entry(first, "TRAVEL");
		assertThat(travel.get("travelTimeId").isNull()).isFalse();
		assertThat(travel.get("estimated").asBoolean()).isFalse();
		assertThat(travel.get("basis").asString()).contains("2 x 12 min").contains("RESOLVED_REMOTELY/PHYSICAL_VISIT");

		JsonNode retried = put(id, sophie, outcome, HttpStatus.OK);
		assertThat(retried.get("entries").size()).isEqualTo(first.get("entries").size());
		assertThat(retried.get("outcome").get("version").asInt()).isEqualTo(1);

		JsonNode corrected = put(id, sophie,
				Map.of("resolution", "VISIT_STILL_NEEDED", "withoutVideo", "PHYSICAL_VISIT"), HttpStatus.OK);
		assertThat(corrected.get("outcome").get("version").asInt()).isEqualTo(2);
		assertThat(corrected.get("totals").get("travelMinutesSaved").asInt()).isZero();
		assertThat(corrected.get("totals").get("handoverMinutesSaved").asInt()).isEqualTo(15);
		List<Integer> minutes = corrected.get("entries").findValues("minutes").stream().map(JsonNode::asInt).toList();
		assertThat(minutes).containsExactlyInAnyOrder(24, 10, -24, -10, 15);
		corrected.get("entries").forEach((entry) -> {
			if (entry.get("minutes").asInt() < 0) {
				assertThat(entry.get("supersedes").isNull()).isFalse();
			}
		});

		assertThat(get("/api/v1/consults/" + id + "/time-saved", nurse, HttpStatus.OK).get("totals")
			.get("minutesSaved")
			.asInt()).isEqualTo(15);
		assertThat(
				get("/api/v1/consults/" + id + "/time-saved", token("admin.ada"), HttpStatus.OK).get("entries").size())
			.isEqualTo(5);
		assertThat(get("/api/v1/consults/" + id + "/time-saved", token("so.lotte"), HttpStatus.NOT_FOUND).get("code")
			.asString()).isEqualTo("consult.not-found");
		assertThat(
				get("/api/v1/consults/" + id + "/time-saved", token("programme.pim"), HttpStatus.NOT_FOUND).get("code")
					.asString())
			.isEqualTo("consult.not-found");
		JsonNode audit = get("/api/v1/consults/" + id + "/audit", nurse, HttpStatus.OK);
		assertThat(audit.findValuesAsString("action")).contains("OUTCOME_RECORDED", "OUTCOME_CORRECTED");
	}

	@Test
	void travelWithoutAMatrixEntryIsEstimatedFromCoordinates() {
		String nurse = token("nurse.anna");
		String lotte = token("so.lotte");
		String id = connectedAndEnded(nurse, lotte, userId("so.lotte"), "zga-de-sprengel");
		JsonNode saved = put(id, lotte, Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHYSICAL_VISIT"),
				HttpStatus.OK);
		JsonNode travel = entry(saved, "TRAVEL");
		assertThat(travel.get("estimated").asBoolean()).isTrue();
		assertThat(travel.get("travelTimeId").isNull()).isTrue();
		assertThat(travel.get("basis").asString()).contains("estimated from coordinates");
		assertThat(travel.get("minutes").asInt()).isBetween(6, 30);
	}

	@Test
	void outcomeBeforeTheEndIsRefusedAndACancelledConsultRecordsLostTime() {
		String nurse = token("nurse.anna");
		String sophie = token("so.sophie");
		JsonNode started = start(nurse, "zga-de-heemhof");
		String id = started.get("id").asString();
		post("/api/v1/consults/" + id + "/accept", sophie);
		assertThat(put(id, sophie, Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHONE_CALL"),
				HttpStatus.CONFLICT)
			.get("code")
			.asString()).isEqualTo("consult.invalid-state");

		String cancelled = start(nurse, "zga-de-heemhof").get("id").asString();
		post("/api/v1/consults/" + cancelled + "/cancel", nurse);
		JsonNode lost = get("/api/v1/consults/" + cancelled + "/time-saved", nurse, HttpStatus.OK);
		assertThat(lost.get("totals").get("minutesSaved").asInt()).isZero();
		assertThat(lost.get("totals").get("minutesLost").asInt()).isPositive();
		assertThat(entry(lost, "LOST").get("basis").asString()).contains("CANCELLED");
	}

	private String connectedAndEnded(String nurse, String consultant, String consultantId, String location) {
		return this.api.connectedAndEnded(nurse, consultant, consultantId, location, "SO");
	}

	private JsonNode start(String nurse, String location) {
		return this.api.post("/api/v1/consults", nurse,
				Map.of("kind", "BEDSIDE", "locationId", location, "clientRef", "K-2", "urgency", "ROUTINE"),
				HttpStatus.CREATED);
	}

	private static JsonNode entry(JsonNode timeSaved, String kind) {
		for (JsonNode entry : timeSaved.get("entries")) {
			if (entry.get("kind").asString().equals(kind) && entry.get("minutes").asInt() > 0) {
				return entry;
			}
		}
		throw new AssertionError("No " + kind + " entry in " + timeSaved);
	}

	private JsonNode put(String id, String token, Map<String, Object> body, HttpStatus status) {
		return this.api.put("/api/v1/consults/" + id + "/outcome", token, body, status);
	}

	private JsonNode post(String path, String token) {
		return this.api.post(path, token, HttpStatus.OK);
	}

	private JsonNode get(String path, String token, HttpStatus status) {
		return this.api.get(path, token, status);
	}

	private String token(String username) {
		return this.api.token(username);
	}

	private String userId(String username) {
		return this.api.userId(username);
	}

}
