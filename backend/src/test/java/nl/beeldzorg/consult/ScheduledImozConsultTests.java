package nl.beeldzorg.consult;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.MutableClock;
import nl.beeldzorg.support.SseTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A huisarts books a video IMOZ consult ahead with the SO they agreed with: it waits as
 * SCHEDULED (seen by both, by nobody else), and at its moment the escalation scheduler
 * starts ringing it. Booked without an SO it rings the region's SOs present then, and is
 * missed when none is. The application's clock is under the test's control.
 */
@Import(MutableClock.Configuration.class)
class ScheduledImozConsultTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-scheduled-imoz");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Autowired
	private MutableClock clock;

	@Autowired
	private Escalator escalator;

	@Test
	void aBookedConsultRingsTheAgreedSoAtItsMoment() {
		String huib = this.api.token("ha.huib");
		String sophie = this.api.token("so.sophie");
		Instant at = this.clock.instant().plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
		try (SseTestClient huibsApp = new SseTestClient(this.port, huib);
				SseTestClient sophiesApp = this.api.present(sophie)) {
			JsonNode booked = book(huib, at, this.api.userId("so.sophie"), "boek-1", HttpStatus.CREATED);
			String id = booked.get("id").asString();
			assertThat(booked.get("state").asString()).isEqualTo("SCHEDULED");
			assertThat(Instant.parse(booked.get("scheduledAt").asString())).isEqualTo(at);
			assertThat(booked.get("ringing")).isEmpty();
			assertThat(booked.path("join").isMissingNode() || booked.get("join").isNull())
				.as("nobody joins before the moment")
				.isTrue();
			assertThat(book(huib, at, this.api.userId("so.sophie"), "boek-1", HttpStatus.OK).get("id").asString())
				.as("a retried booking is the same consult")
				.isEqualTo(id);
			assertThat(sophiesApp.next("consult.scheduled").get("id").asString()).isEqualTo(id);

			assertThat(ids(this.api.get("/api/v1/consults?state=SCHEDULED", huib, HttpStatus.OK))).containsExactly(id);
			assertThat(ids(this.api.get("/api/v1/consults?state=SCHEDULED", sophie, HttpStatus.OK)))
				.containsExactly(id);
			String daan = this.api.token("so.daan");
			assertThat(this.api.get("/api/v1/consults?state=SCHEDULED", daan, HttpStatus.OK)).isEmpty();
			assertThat(this.api.get("/api/v1/consults/" + id, daan, HttpStatus.NOT_FOUND).get("code").asString())
				.isEqualTo("consult.not-found");
			assertThat(this.api.get("/api/v1/consults/" + id, sophie, HttpStatus.OK).get("state").asString())
				.isEqualTo("SCHEDULED");
			this.api.post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.CONFLICT);
			assertThat(this.api.get("/api/v1/consults?state=RINGING", sophie, HttpStatus.OK)).isEmpty();

			// A minute before its moment nothing happens; at its moment it rings Sophie.
			this.clock.set(at.minus(Duration.ofMinutes(1)));
			assertThat(this.escalator.escalateDue().block()).as("a round before the moment moves nothing").isZero();
			assertThat(state(id, huib)).isEqualTo("SCHEDULED");
			this.clock.set(at.plusSeconds(1));
			JsonNode ringing = sophiesApp.next("consult.ringing");
			assertThat(ringing.get("id").asString()).isEqualTo(id);
			assertThat(huibsApp.next("consult.started").get("state").asString()).isEqualTo("RINGING");
			JsonNode accepted = this.api.post("/api/v1/consults/" + id + "/accept", sophie, HttpStatus.OK);
			assertThat(accepted.get("state").asString()).isEqualTo("ACTIVE");
			assertThat(accepted.get("institutionId").asString()).as("the accepting SO's institution declares it")
				.isEqualTo("zga");
			assertThat(accepted.get("join").get("token").asString()).isNotBlank();
			assertThat(this.api.get("/api/v1/consults?state=SCHEDULED", huib, HttpStatus.OK)).isEmpty();
			assertThat(this.api.get("/api/v1/consults/" + id + "/audit", huib, HttpStatus.OK)
				.findValues("action")
				.stream()
				.map(JsonNode::asString)
				.toList()).containsExactly("CREATED", "RUNG", "ACCEPTED");
		}
	}

	@Test
	void bookedWithoutAnSoItRingsWhoIsPresentThenOrIsMissed() {
		String huib = this.api.token("ha.huib");
		Instant first = this.clock.instant().plus(Duration.ofHours(2));
		try (SseTestClient huibsApp = new SseTestClient(this.port, huib)) {
			// No SO present when booking: booking is still fine.
			String missed = book(huib, first, null, null, HttpStatus.CREATED).get("id").asString();
			this.clock.set(first.plusSeconds(1));
			JsonNode told = huibsApp.next("consult.missed");
			assertThat(told.get("id").asString()).isEqualTo(missed);
			assertThat(told.get("state").asString()).isEqualTo("MISSED");

			Instant second = this.clock.instant().plus(Duration.ofHours(1));
			String rings = book(huib, second, null, null, HttpStatus.CREATED).get("id").asString();
			try (SseTestClient lotte = this.api.present(this.api.token("so.lotte"))) {
				this.clock.set(second.plusSeconds(1));
				assertThat(lotte.next("consult.ringing").get("id").asString()).isEqualTo(rings);
				assertThat(huibsApp.next("consult.started").get("id").asString()).isEqualTo(rings);
			}
		}
	}

	@Test
	void aBookedConsultCanBeCancelledAndThenNeverRings() {
		String huib = this.api.token("ha.huib");
		String sophie = this.api.token("so.sophie");
		Instant at = this.clock.instant().plus(Duration.ofDays(3));
		try (SseTestClient sophiesApp = this.api.present(sophie)) {
			String id = book(huib, at, this.api.userId("so.sophie"), null, HttpStatus.CREATED).get("id").asString();
			sophiesApp.next("consult.scheduled");
			assertThat(this.api.post("/api/v1/consults/" + id + "/cancel", huib, HttpStatus.OK).get("state").asString())
				.isEqualTo("CANCELLED");
			assertThat(sophiesApp.next("consult.cancelled").get("id").asString()).isEqualTo(id);
			this.clock.set(at.plusSeconds(10));
			assertThat(this.escalator.escalateDue().block()).as("a round after the moment moves nothing").isZero();
			assertThat(state(id, huib)).isEqualTo("CANCELLED");
			assertThat(this.api.get("/api/v1/consults?state=RINGING", sophie, HttpStatus.OK)).isEmpty();
		}
	}

	@Test
	void aBookingNeedsAMomentAheadAndAnSo() {
		String huib = this.api.token("ha.huib");
		assertThat(book(huib, this.clock.instant().minusSeconds(60), null, null, HttpStatus.BAD_REQUEST).get("code")
			.asString()).isEqualTo("request.invalid");
		assertThat(book(huib, this.clock.instant().plus(Duration.ofDays(120)), null, null, HttpStatus.BAD_REQUEST)
			.get("code")
			.asString()).isEqualTo("request.invalid");
		assertThat(book(huib, this.clock.instant().plus(Duration.ofHours(1)), this.api.userId("nurse.anna"), null,
				HttpStatus.UNPROCESSABLE_CONTENT)
			.get("code")
			.asString()).isEqualTo("consult.unknown-consultant");
		Map<String, Object> bedside = Map.of("kind", "BEDSIDE", "locationId", "zga-de-sprengel", "clientRef", "K-1",
				"urgency", "ROUTINE", "scheduledAt", this.clock.instant().plus(Duration.ofHours(1)).toString());
		assertThat(this.api.post("/api/v1/consults", this.api.token("nurse.anna"), bedside, HttpStatus.BAD_REQUEST)
			.get("code")
			.asString()).isEqualTo("request.invalid");
	}

	private JsonNode book(String token, Instant at, String consultantId, String key, HttpStatus status) {
		Map<String, Object> body = new HashMap<>(
				Map.of("kind", "IMOZ", "clientRef", "P-7001", "homeArea", "7331", "urgency", "ROUTINE", "question",
						"Bespreken beleid bij toenemende verwardheid", "scheduledAt", at.toString()));
		if (consultantId != null) {
			body.put("consultantId", consultantId);
		}
		return this.api.http().post().uri("/api/v1/consults").headers((h) -> {
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

	private String state(String id, String token) {
		return this.api.get("/api/v1/consults/" + id, token, HttpStatus.OK).get("state").asString();
	}

	private static java.util.List<String> ids(JsonNode list) {
		return list.findValues("id").stream().map(JsonNode::asString).toList();
	}

}
