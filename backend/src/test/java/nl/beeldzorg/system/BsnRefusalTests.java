package nl.beeldzorg.system;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No BSN reaches the database through any field a user writes: client references,
 * questions, IMOZ questions and answers, an institution's and a location's names and
 * instructions. Each is refused with a 422, its code, and the field named; nothing is
 * stored. Ordinary text with dates, times, phone numbers and measures goes through.
 */
class BsnRefusalTests extends DemoApplicationTests {

	/** Ways of writing the BSN 111222333 (or 123456782) that got through before. */
	static final List<String> BSNS = List.of("BSN111222333", "111222333X", "111/222/333", "K-111222333", "1112.22.333",
			"111 222 333", "111-222-333", "bsn: 1234.56.782", "geboren 1-2-1950 123 456 782",
			"tel 0612345678 111222333");

	/** Text a nurse or a doctor writes every day, with numbers that are no BSN. */
	static final String ORDINARY = "Gevallen op 01-04-2026 om 14.30 uur (01042026), bel 06-12345678 of "
			+ "+31 612345671; RR 135/85, waarden 110 70 62 98, 3 x per dag 500 mg, 45 min.";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-bsn-refusal");
		registry.add("beeldzorg.database.url", () -> url);
	}

	private static Map<String, Object> bedside(String clientRef, String question) {
		Map<String, Object> body = new HashMap<>();
		body.put("kind", "BEDSIDE");
		body.put("locationId", "zga-de-sprengel");
		body.put("clientRef", clientRef);
		body.put("question", question);
		body.put("urgency", "URGENT");
		return body;
	}

	@Test
	void aBsnInAClientReferenceOrAQuestionStartsNoConsult() {
		String anna = this.api.token("nurse.anna");
		int before = this.api.get("/api/v1/consults", anna, HttpStatus.OK).size();
		for (String bsn : BSNS) {
			refused(this.api.send(HttpMethod.POST, "/api/v1/consults", anna, bedside(bsn, "Decubitus?"),
					HttpStatus.UNPROCESSABLE_CONTENT), "consult.client-ref-looks-like-bsn", "clientRef");
			refused(this.api.send(HttpMethod.POST, "/api/v1/consults", anna, bedside("K-4711", "Vraag over " + bsn),
					HttpStatus.UNPROCESSABLE_CONTENT), "privacy.text-contains-bsn", "question");
		}
		// Both at once: the reference's code leads, both fields are named, each once.
		JsonNode both = this.api.send(HttpMethod.POST, "/api/v1/consults", anna,
				bedside("111 222 333", "BSN 111222333"), HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(both.path("code").asString()).isEqualTo("consult.client-ref-looks-like-bsn");
		assertThat(fieldsOf(both)).containsExactlyInAnyOrder("clientRef:consult.client-ref-looks-like-bsn",
				"question:privacy.text-contains-bsn");
		assertThat(this.api.get("/api/v1/consults", anna, HttpStatus.OK).size()).as("nothing stored").isEqualTo(before);
	}

	@Test
	void aBsnInAnImozQuestionOrAnswerIsNotStored() {
		String huib = this.api.token("ha.huib");
		String sophie = this.api.token("so.sophie");
		int before = this.api.get("/api/v1/imoz/questions", huib, HttpStatus.OK).size();
		for (String bsn : BSNS) {
			refused(this.api.send(HttpMethod.POST, "/api/v1/imoz/questions", huib,
					Map.of("clientRef", bsn, "homeArea", "7331", "question", "Beleid?"),
					HttpStatus.UNPROCESSABLE_CONTENT), "consult.client-ref-looks-like-bsn", "clientRef");
			refused(this.api.send(HttpMethod.POST, "/api/v1/imoz/questions", huib,
					Map.of("clientRef", "P-1", "homeArea", "7331", "question", "Mevrouw " + bsn + " valt"),
					HttpStatus.UNPROCESSABLE_CONTENT), "privacy.text-contains-bsn", "question");
		}
		assertThat(this.api.get("/api/v1/imoz/questions", huib, HttpStatus.OK).size()).isEqualTo(before);

		String id = this.api
			.post("/api/v1/imoz/questions", huib, Map.of("clientRef", "P-1", "homeArea", "7331", "question", ORDINARY),
					HttpStatus.CREATED)
			.get("id")
			.asString();
		this.api.post("/api/v1/imoz/questions/" + id + "/claim", sophie, HttpStatus.OK);
		for (String bsn : BSNS) {
			refused(this.api.send(HttpMethod.POST, "/api/v1/imoz/questions/" + id + "/answer", sophie,
					Map.of("answer", "Advies voor " + bsn, "billingCode", "IMOZ-SCHRIFTELIJK"),
					HttpStatus.UNPROCESSABLE_CONTENT), "privacy.text-contains-bsn", "answer");
		}
		JsonNode still = this.api.get("/api/v1/imoz/questions/" + id, sophie, HttpStatus.OK);
		assertThat(still.path("state").asString()).isEqualTo("CLAIMED");
		assertThat(still.path("answer").isNull() || still.path("answer").isMissingNode()).isTrue();
		JsonNode answered = this.api.post("/api/v1/imoz/questions/" + id + "/answer", sophie,
				Map.of("answer", ORDINARY, "billingCode", "IMOZ-SCHRIFTELIJK"), HttpStatus.OK);
		assertThat(answered.path("answer").asString()).isEqualTo(ORDINARY);
	}

	@Test
	void aBsnInAnInstitutionsOrALocationsTextsIsRefused() {
		String ada = this.api.token("admin.ada");
		Map<String, Function<String, Map<String, Object>>> institution = Map.of("name",
				(bsn) -> Map.of("name", "Zorggroep " + bsn), "fallbackInstructions",
				(bsn) -> Map.of("name", "Zorggroep Apeldoorn", "fallbackInstructions", "Bel " + bsn), "fallbackPhone",
				(bsn) -> Map.of("name", "Zorggroep Apeldoorn", "fallbackPhone", "111 222 333"));
		institution.forEach((field,
				body) -> refused(this.api.send(HttpMethod.PUT, "/api/v1/admin/institution", ada,
						body.apply("111-222-333"), HttpStatus.UNPROCESSABLE_CONTENT), "privacy.text-contains-bsn",
						field));
		refused(this.api.send(HttpMethod.PUT, "/api/v1/admin/locations/zga-nieuw", ada,
				Map.of("name", "Kamer 111/222/333", "subregion", "Apeldoorn"), HttpStatus.UNPROCESSABLE_CONTENT),
				"privacy.text-contains-bsn", "name");
		refused(this.api.send(HttpMethod.PUT, "/api/v1/admin/locations/zga-nieuw", ada,
				Map.of("name", "Nieuw", "subregion", "BSN111222333"), HttpStatus.UNPROCESSABLE_CONTENT),
				"privacy.text-contains-bsn", "subregion");
		JsonNode csv = this.api.postCsv("/api/v1/admin/locations/import", ada,
				"id,name,subregion,latitude,longitude\nzga-csv,Kamer 1112.22.333,Apeldoorn,52.2,5.9\n",
				HttpStatus.BAD_REQUEST);
		assertThat(csv.path("code").asString()).isEqualTo("import.invalid");
		assertThat(csv.toString()).contains("BSN").doesNotContain("1112.22.333");
		assertThat(this.api.get("/api/v1/locations", ada, HttpStatus.OK).toString()).doesNotContain("zga-nieuw")
			.doesNotContain("zga-csv");
	}

	@Test
	void datesTimesPhoneNumbersAndMeasuresAreNotTakenForABsn() {
		String anna = this.api.token("nurse.anna");
		present("so.sophie");
		JsonNode started = this.api.send(HttpMethod.POST, "/api/v1/consults", anna, bedside("K-2026-0401", ORDINARY),
				HttpStatus.CREATED);
		assertThat(started.path("question").asString()).isEqualTo(ORDINARY);
		this.api.put("/api/v1/admin/institution", this.api.token("admin.ada"),
				Map.of("name", "Zorggroep Apeldoorn", "fallbackPhone", "+31 55 123 4567", "fallbackInstructions",
						"Bel 055-1234567 of 06 1234 5678 tussen 8.00 en 17.00 uur"),
				HttpStatus.OK);
	}

	private static void refused(JsonNode problem, String code, String field) {
		assertThat(problem.path("code").asString()).as(problem.toString()).isEqualTo(code);
		assertThat(problem.path("status").asInt()).isEqualTo(422);
		assertThat(fieldsOf(problem)).as(problem.toString()).containsExactly(field + ":" + code);
		// The refusal never echoes the number it refused.
		assertThat(problem.toString()).doesNotContain("111222333").doesNotContain("222");
	}

	private static List<String> fieldsOf(JsonNode problem) {
		return problem.path("errors")
			.valueStream()
			.map((error) -> error.path("field").asString() + ":" + error.path("code").asString())
			.toList();
	}

}
