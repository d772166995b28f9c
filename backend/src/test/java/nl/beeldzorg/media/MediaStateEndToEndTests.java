package nl.beeldzorg.media;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.SignallingTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Media truth through real signalling clients (API.md "Media state", v1.1): joins alone
 * never connect a consult; the first {@code connected} does; the stats are kept per
 * party; a consult whose media never connected books lost time, saves no trip, and counts
 * as not connected in the connection-quality report.
 */
abstract class MediaStateEndToEndTests extends DemoApplicationTests {

	private final LocalDate today = LocalDate.now(ZoneId.of("Europe/Amsterdam"));

	@BeforeEach
	void consultantsOpenTheirApp() {
		present("so.sophie", "so.lotte");
	}

	@Test
	void connectedAtIsTheFirstReportedConnectedNotTheJoinsAndStatsAreKeptPerParty() {
		String nurse = this.api.token("nurse.anna");
		String sophie = this.api.token("so.sophie");
		JsonNode[] consult = startAndAccept(nurse, sophie, "so.sophie");
		String id = consult[0].get("id").asString();
		try (SignallingTestClient a = SignallingTestClient.connect(this.port);
				SignallingTestClient b = SignallingTestClient.connect(this.port)) {
			a.join(consult[0].get("join").get("token").asString());
			b.join(consult[1].get("join").get("token").asString());
			awaitJoinsRecorded(id, nurse);
			assertThat(this.api.get("/api/v1/consults/" + id, nurse, HttpStatus.OK).get("connectedAt").isNull())
				.as("both joined, no media yet")
				.isTrue();

			a.send(state("connecting", null));
			a.send(state("connected", "{\"rttMs\":42,\"lossPct\":0.3,\"kbpsIn\":1210,\"kbpsOut\":980,"
					+ "\"width\":1280,\"height\":720,\"relay\":false}"));
			// Within 10 s: these stats are ignored (no error), the state repeats nothing.
			a.send(state("connected", "{\"rttMs\":999,\"kbpsIn\":1}"));
			a.send(state("disconnected", null));
			a.send(state("connected", null));
			b.send(state("connected", "{\"rttMs\":44,\"kbpsIn\":800,\"relay\":true}"));
			b.send("{\"type\":\"media-state\",\"state\":\"streaming\"}");
			assertThat(b.nextOfType("error").get("code").asString()).isEqualTo("signalling.invalid-media-state");

			JsonNode connected = this.api.awaitConnected(id, nurse, a);
			assertThat(connected.get("connectedAt").isNull()).isFalse();
			JsonNode media = awaitMedia(id, nurse,
					(parties) -> parties.size() == 2
							&& parties.findValues("reconnections").stream().mapToInt(JsonNode::asInt).sum() == 1
							&& parties.findValues("samples").stream().mapToInt(JsonNode::asInt).sum() == 2);
			JsonNode anna = party(media, this.api.userId("nurse.anna"));
			assertThat(anna.get("state").asString()).isEqualTo("connected");
			assertThat(anna.get("samples").asInt()).isEqualTo(1);
			assertThat(anna.get("disconnections").asInt()).isEqualTo(1);
			assertThat(anna.get("reconnections").asInt()).isEqualTo(1);
			assertThat(anna.get("last").get("rttMs").asDouble()).isEqualTo(42.0);
			assertThat(anna.get("median").get("kbpsIn").asDouble()).isEqualTo(1210.0);
			assertThat(anna.get("median").get("height").asInt()).isEqualTo(720);
			assertThat(anna.get("secondsToMedia").asDouble()).isGreaterThanOrEqualTo(0.0);
			assertThat(anna.get("relayUsed").asBoolean()).isFalse();
			assertThat(party(media, this.api.userId("so.sophie")).get("relayUsed").asBoolean()).isTrue();
			assertThat(
					this.api.get("/api/v1/consults/" + id + "/media", this.api.token("so.daan"), HttpStatus.NOT_FOUND)
						.get("code")
						.asString())
				.isEqualTo("consult.not-found");
		}
		this.api.post("/api/v1/consults/" + id + "/end", nurse, HttpStatus.OK);
		JsonNode saved = this.api.put("/api/v1/consults/" + id + "/outcome", sophie,
				Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHYSICAL_VISIT"), HttpStatus.OK);
		assertThat(saved.get("totals").get("travelMinutesSaved").asInt()).isPositive();
	}

	@Test
	void aConsultWhoseMediaNeverConnectedSavesNoTripAndCountsAsNotConnected() {
		String nurse = this.api.token("nurse.anna");
		String lotte = this.api.token("so.lotte");
		JsonNode before = quality();
		JsonNode[] consult = startAndAccept(nurse, lotte, "so.lotte");
		String id = consult[0].get("id").asString();
		try (SignallingTestClient a = SignallingTestClient.connect(this.port);
				SignallingTestClient b = SignallingTestClient.connect(this.port)) {
			a.join(consult[0].get("join").get("token").asString());
			b.join(consult[1].get("join").get("token").asString());
			a.send(state("connecting", null));
			b.send(state("connecting", null));
			a.send(state("failed", null));
			b.send(state("failed", null));
			awaitMedia(id, nurse, (parties) -> parties.findValues("failures").size() == 2
					&& parties.findValues("failures").stream().allMatch((f) -> f.asInt() == 1));
		}
		JsonNode ended = this.api.post("/api/v1/consults/" + id + "/end", nurse, HttpStatus.OK);
		assertThat(ended.get("connectedAt").isNull()).isTrue();
		JsonNode saved = this.api.put("/api/v1/consults/" + id + "/outcome", lotte,
				Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHYSICAL_VISIT"), HttpStatus.OK);
		assertThat(saved.get("totals").get("travelMinutesSaved").asInt()).isZero();
		assertThat(saved.get("totals").get("minutesSaved").asInt()).isZero();
		assertThat(saved.get("entries").findValuesAsString("kind")).contains("LOST");
		JsonNode after = quality();
		assertThat(after.get("accepted").asInt()).isEqualTo(before.path("accepted").asInt() + 1);
		assertThat(after.get("connected").asInt()).isEqualTo(before.path("connected").asInt());
	}

	/** The own institution's connection quality today, as its administrator reads it. */
	private JsonNode quality() {
		JsonNode report = this.api.get(
				"/api/v1/reports/connection-quality?from=" + this.today + "&to=" + this.today + "&groupBy=institution",
				this.api.token("admin.ada"), HttpStatus.OK);
		for (JsonNode row : report.get("rows")) {
			if ("zga".equals(row.get("institutionId").asString())) {
				return row;
			}
		}
		return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
	}

	private JsonNode[] startAndAccept(String nurse, String consultant, String consultantName) {
		JsonNode started = this.api.post("/api/v1/consults", nurse,
				Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-1", "urgency", "URGENT",
						"requestedDiscipline", "SO", "consultantId", this.api.userId(consultantName)),
				HttpStatus.CREATED);
		JsonNode accepted = this.api.post("/api/v1/consults/" + started.get("id").asString() + "/accept", consultant,
				HttpStatus.OK);
		return new JsonNode[] { started, accepted };
	}

	/** Waits until the join observer has written both JOINED audit records. */
	private void awaitJoinsRecorded(String id, String token) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode audit = this.api.get("/api/v1/consults/" + id + "/audit", token, HttpStatus.OK);
			if (audit.findValuesAsString("action").stream().filter("JOINED"::equals).count() >= 2) {
				return;
			}
		}
		throw new AssertionError("the joins of " + id + " were not recorded");
	}

	private JsonNode awaitMedia(String id, String token, java.util.function.Predicate<JsonNode> done) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		JsonNode media = this.api.get("/api/v1/consults/" + id + "/media", token, HttpStatus.OK);
		while (!done.test(media) && System.nanoTime() < deadline) {
			media = this.api.get("/api/v1/consults/" + id + "/media", token, HttpStatus.OK);
		}
		assertThat(done.test(media)).as("media of %s: %s", id, media).isTrue();
		return media;
	}

	private static JsonNode party(JsonNode media, String userId) {
		for (JsonNode party : media) {
			if (userId.equals(party.get("userId").asString())) {
				return party;
			}
		}
		throw new AssertionError("no media of " + userId + " in " + media);
	}

	private static String state(String state, String stats) {
		return "{\"type\":\"media-state\",\"state\":\"" + state + "\"" + ((stats != null) ? ",\"stats\":" + stats : "")
				+ "}";
	}

}
