package nl.beeldzorg.imoz;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A huisarts asks an SO in writing about a frail patient at home; one SO takes it and
 * answers within the agreed days with a billing code; the declaration export lists it. A
 * huisarts sees only their own practice's questions.
 */
class ImozQuestionsTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-imoz");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void writtenQuestionFromHuisartsToAnswerAndBillingExport() throws Exception {
		String huib = this.api.token("ha.huib");
		String sophie = this.api.token("so.sophie");
		String daan = this.api.token("so.daan");
		Map<String, Object> ask = Map.of("clientRef", "P-3321", "homeArea", "7331", "question",
				"Mevrouw (89) valt vaker; medicatie herzien?");
		JsonNode asked = ask(huib, "imoz-1", ask);
		String id = asked.get("id").asString();
		assertThat(asked.get("state").asString()).isEqualTo("OPEN");
		assertThat(Duration.between(Instant.parse(asked.get("createdAt").asString()),
				Instant.parse(asked.get("dueAt").asString())))
			.isEqualTo(Duration.ofDays(3));
		JsonNode again = ask(huib, "imoz-1", ask);
		assertThat(again.get("id").asString()).as("a retry is the same question").isEqualTo(id);

		assertThat(ids(this.api.get("/api/v1/imoz/questions", sophie, HttpStatus.OK))).contains(id);
		assertThat(ids(this.api.get("/api/v1/imoz/questions", daan, HttpStatus.OK))).contains(id);
		assertThat(
				this.api.post("/api/v1/imoz/questions/" + id + "/claim", sophie, HttpStatus.OK).get("state").asString())
			.isEqualTo("CLAIMED");
		assertThat(this.api.post("/api/v1/imoz/questions/" + id + "/claim", daan, HttpStatus.NOT_FOUND)
			.get("code")
			.asString()).isEqualTo("consult.not-found");
		assertThat(this.api
			.post("/api/v1/imoz/questions/" + id + "/answer", sophie,
					Map.of("answer", "Stop de oxazepam; valrisico-analyse volgt.", "billingCode", "NONSENSE"),
					HttpStatus.BAD_REQUEST)
			.get("code")
			.asString()).isEqualTo("request.invalid");
		JsonNode answered = this.api.post("/api/v1/imoz/questions/" + id + "/answer", sophie,
				Map.of("answer", "Stop de oxazepam; valrisico-analyse volgt.", "billingCode", "IMOZ-SCHRIFTELIJK"),
				HttpStatus.OK);
		assertThat(answered.get("state").asString()).isEqualTo("ANSWERED");
		assertThat(answered.get("overdue").asBoolean()).isFalse();

		JsonNode seen = this.api.get("/api/v1/imoz/questions/" + id, huib, HttpStatus.OK);
		assertThat(seen.get("answer").asString()).isEqualTo("Stop de oxazepam; valrisico-analyse volgt.");
		assertThat(seen.get("answeredBy").asString()).isEqualTo(this.api.userId("so.sophie"));

		String csv = this.api.http()
			.get()
			.uri("/api/v1/imoz/billing?from=" + LocalDate.now().minusDays(1) + "&to=" + LocalDate.now().plusDays(1))
			.headers((h) -> h.setBearerAuth(this.api.token("admin.ada")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		List<CSVRecord> rows = CSVFormat.DEFAULT.builder()
			.setHeader()
			.setSkipHeaderRecord(true)
			.get()
			.parse(new StringReader(csv))
			.getRecords();
		assertThat(rows).hasSize(1);
		assertThat(rows.get(0).get("questionId")).isEqualTo(id);
		assertThat(rows.get(0).get("practiceId")).isEqualTo("hap-apeldoorn-zuid");
		assertThat(rows.get(0).get("askedBy")).isEqualTo(this.api.userId("ha.huib"));
		assertThat(rows.get(0).get("answeredBy")).isEqualTo(this.api.userId("so.sophie"));
		assertThat(rows.get(0).get("billingCode")).isEqualTo("IMOZ-SCHRIFTELIJK");
		assertThat(rows.get(0).get("description")).startsWith("Schriftelijk consult SO");
		// The programme office sees every institution's declarations.
		assertThat(this.api.http()
			.get()
			.uri("/api/v1/imoz/billing?from=" + LocalDate.now().minusDays(1) + "&to=" + LocalDate.now().plusDays(1))
			.headers((h) -> h.setBearerAuth(this.api.token("programme.pim")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody()).contains(id);
	}

	@Test
	void theQuestionsStatesAreDocumentedInTheOpenApiDocument() {
		String document = this.api.http()
			.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(document).contains("Written IMOZ question states")
			.contains("/api/v1/imoz/questions/{id}/answer")
			.contains("/api/v1/imoz/billing");
	}

	@Test
	void aHuisartsSeesOnlyTheirOwnPracticesQuestions() {
		String huib = this.api.token("ha.huib");
		String hanna = this.api.token("ha.hanna");
		String huibs = this.api
			.post("/api/v1/imoz/questions", huib,
					Map.of("clientRef", "P-1", "homeArea", "7331", "question", "Vraag van Huib"), HttpStatus.CREATED)
			.get("id")
			.asString();
		String hannas = this.api
			.post("/api/v1/imoz/questions", hanna,
					Map.of("clientRef", "P-2", "homeArea", "7339", "question", "Vraag van Hanna"), HttpStatus.CREATED)
			.get("id")
			.asString();
		assertThat(ids(this.api.get("/api/v1/imoz/questions", huib, HttpStatus.OK))).contains(huibs)
			.doesNotContain(hannas);
		assertThat(ids(this.api.get("/api/v1/imoz/questions", hanna, HttpStatus.OK))).contains(hannas)
			.doesNotContain(huibs);
		this.api.get("/api/v1/imoz/questions/" + hannas, huib, HttpStatus.NOT_FOUND);
		this.api.post("/api/v1/imoz/questions/" + hannas + "/withdraw", huib, HttpStatus.NOT_FOUND);
		assertThat(this.api.post("/api/v1/imoz/questions/" + hannas + "/withdraw", hanna, HttpStatus.OK)
			.get("state")
			.asString()).isEqualTo("WITHDRAWN");
		// Nurses and others do not ask IMOZ questions; BSNs are refused.
		assertThat(this.api
			.post("/api/v1/imoz/questions", this.api.token("nurse.anna"),
					Map.of("clientRef", "P-3", "homeArea", "7331", "question", "?"), HttpStatus.FORBIDDEN)
			.get("code")
			.asString()).isEqualTo("consult.kind-not-allowed");
		assertThat(this.api
			.post("/api/v1/imoz/questions", huib, Map.of("clientRef", "111222333", "homeArea", "7331", "question", "?"),
					HttpStatus.UNPROCESSABLE_CONTENT)
			.get("code")
			.asString()).isEqualTo("consult.client-ref-looks-like-bsn");
	}

	private JsonNode ask(String token, String idempotencyKey, Map<String, Object> body) {
		return this.api.http().post().uri("/api/v1/imoz/questions").headers((h) -> {
			h.setBearerAuth(token);
			h.set("Idempotency-Key", idempotencyKey);
		})
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private static List<String> ids(JsonNode list) {
		java.util.ArrayList<String> ids = new java.util.ArrayList<>();
		list.forEach((q) -> ids.add(q.get("id").asString()));
		return ids;
	}

}
