package nl.beeldzorg.system;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal a page can meet names the field it concerns and a stable code for it,
 * beside the problem's own code, so a page can say in its own words, next to that field,
 * what to do.
 */
class ProblemCodesPerFieldTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-problem-codes");
		registry.add("beeldzorg.database.url", () -> url);
	}

	private static Map<String, Object> bedside(String clientRef) {
		Map<String, Object> body = new HashMap<>();
		body.put("kind", "BEDSIDE");
		body.put("locationId", "zga-de-sprengel");
		body.put("clientRef", clientRef);
		body.put("urgency", "URGENT");
		return body;
	}

	@Test
	void aBsnLikeClientRefKeepsItsCodeAndNamesTheClientField() {
		JsonNode problem = this.api.post("/api/v1/consults", this.api.token("nurse.anna"), bedside("111.222.333"),
				HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(problem.path("code").asString()).isEqualTo("consult.client-ref-looks-like-bsn");
		assertField(problem, "clientRef", "consult.client-ref-looks-like-bsn");
		JsonNode written = this.api.post("/api/v1/imoz/questions", this.api.token("ha.huib"),
				Map.of("clientRef", "111222333", "homeArea", "7331", "question", "Beleid?"),
				HttpStatus.UNPROCESSABLE_CONTENT);
		assertField(written, "clientRef", "consult.client-ref-looks-like-bsn");
	}

	@Test
	void beanValidationGivesACodePerFieldAndConstraint() {
		Map<String, Object> body = bedside("");
		body.put("question", "x".repeat(2001));
		JsonNode problem = this.api.post("/api/v1/consults", this.api.token("nurse.anna"), body,
				HttpStatus.BAD_REQUEST);
		assertThat(problem.path("code").asString()).isEqualTo("request.invalid");
		assertThat(codeOf(problem, "clientRef")).isIn("request.field-required", "request.field-format");
		assertThat(codeOf(problem, "question")).isEqualTo("request.field-too-long");
		JsonNode pattern = this.api.post("/api/v1/consults", this.api.token("nurse.anna"), bedside("K 47 11!"),
				HttpStatus.BAD_REQUEST);
		assertField(pattern, "clientRef", "request.field-format");
		Map<String, Object> missing = bedside("K-4711");
		missing.remove("urgency");
		assertField(this.api.post("/api/v1/consults", this.api.token("nurse.anna"), missing, HttpStatus.BAD_REQUEST),
				"urgency", "request.field-required");
		JsonNode outOfRange = this.api.put("/api/v1/consults/" + java.util.UUID.randomUUID() + "/outcome",
				this.api.token("so.sophie"),
				Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHYSICAL_VISIT", "handoverMinutes", -5),
				HttpStatus.BAD_REQUEST);
		assertField(outOfRange, "handoverMinutes", "request.field-out-of-range");
	}

	@Test
	void aValueOutsideAnEnumOrOfTheWrongTypeNamesItsField() {
		Map<String, Object> body = bedside("K-4711");
		body.put("urgency", "SOON");
		assertField(this.api.post("/api/v1/consults", this.api.token("nurse.anna"), body, HttpStatus.BAD_REQUEST),
				"urgency", "request.field-not-allowed");
		JsonNode wrongType = this.http.post()
			.uri("/api/v1/consults")
			.headers((h) -> h.setBearerAuth(this.api.token("nurse.anna")))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"kind\":\"BEDSIDE\",\"locationId\":\"zga-de-sprengel\",\"clientRef\":{\"a\":1},"
					+ "\"urgency\":\"URGENT\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertField(wrongType, "clientRef", "request.field-wrong-type");
	}

	@Test
	void theServicesOwnChecksNameTheirFieldsToo() {
		String huib = this.api.token("ha.huib");
		Map<String, Object> imoz = new HashMap<>(Map.of("kind", "IMOZ", "clientRef", "P-1", "homeArea", "7331",
				"urgency", "ROUTINE", "scheduledAt", Instant.now().plus(200, ChronoUnit.DAYS).toString()));
		JsonNode tooFar = this.api.post("/api/v1/consults", huib, imoz, HttpStatus.BAD_REQUEST);
		assertThat(tooFar.path("code").asString()).isEqualTo("request.invalid");
		assertField(tooFar, "scheduledAt", "consult.scheduled-at-out-of-range");
		imoz.remove("scheduledAt");
		imoz.remove("homeArea");
		assertField(this.api.post("/api/v1/consults", huib, imoz, HttpStatus.BAD_REQUEST), "homeArea",
				"request.field-required");
		Map<String, Object> elsewhere = bedside("K-4711");
		elsewhere.put("locationId", "atlant-sparrenheuvel");
		JsonNode unknown = this.api.post("/api/v1/consults", this.api.token("nurse.anna"), elsewhere,
				HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(unknown.path("code").asString()).isEqualTo("consult.unknown-location");
		assertField(unknown, "locationId", "consult.unknown-location");
		JsonNode backwards = this.api.get("/api/v1/reports/time-saved?from=2026-03-01&to=2026-01-01",
				this.api.token("programme.pim"), HttpStatus.BAD_REQUEST);
		assertField(backwards, "to", "request.ends-before-start");
	}

	@Test
	void nobodyToRingCarriesTheKindAndTheFallbackNumberForThePagesOwnWords() {
		JsonNode problem = this.api.post("/api/v1/consults", this.api.token("nurse.anna"), bedside("K-4711"),
				HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(problem.path("code").asString()).isEqualTo("consult.no-consultant-available");
		assertThat(problem.path("kind").asString()).isEqualTo("BEDSIDE");
		assertThat(problem.path("detail").asString()).contains(problem.path("fallbackPhone").asString());
	}

	@Test
	void theIndexLinksTheFourPages() {
		JsonNode index = this.api.get("/", this.api.token("nurse.anna"), HttpStatus.OK);
		assertThat(index.path("links").path("glasses").asString()).isEqualTo("/glasses/");
		assertThat(index.path("links").path("app").asString()).isEqualTo("/app/");
		assertThat(index.path("links").path("huisarts").asString()).isEqualTo("/huisarts/");
		assertThat(index.path("links").path("programme").asString()).isEqualTo("/programme/");
		for (String page : new String[] { "/glasses/", "/app/", "/huisarts/", "/programme/" }) {
			this.http.get().uri(page).exchange().expectStatus().isOk();
		}
	}

	private static String codeOf(JsonNode problem, String field) {
		for (JsonNode error : problem.path("errors")) {
			if (field.equals(error.path("field").asString())) {
				return error.path("code").asString();
			}
		}
		throw new AssertionError("No error for " + field + " in " + problem);
	}

	private static void assertField(JsonNode problem, String field, String code) {
		assertThat(codeOf(problem, field)).as(problem.toString()).isEqualTo(code);
	}

}
