package nl.beeldzorg.settings;

import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ADMIN keeps the institution's settings by API and CSV import, and the ledger uses
 * them: a new rule version changes the handover norm, a new travel-time entry the travel
 * saved.
 */
class SettingsEndToEndTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void h2(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-settings");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void onlyAnAdminChangesSettings() {
		send("POST", "/api/v1/admin/valuation-rules", token("nurse.anna"), rule(1600, 25), HttpStatus.FORBIDDEN);
		send("POST", "/api/v1/admin/valuation-rules", token("programme.pim"), rule(1600, 25), HttpStatus.FORBIDDEN);
	}

	@Test
	void newRuleVersionAndTravelTimeAreUsedByTheLedger() {
		String admin = token("admin.ada");
		JsonNode created = send("POST", "/api/v1/admin/valuation-rules", admin, rule(1600, 25), HttpStatus.OK);
		assertThat(created.get("version").asInt()).isEqualTo(1);
		send("POST", "/api/v1/admin/valuation-rules", admin, rule(1600, 25), HttpStatus.OK);
		assertThat(send("POST", "/api/v1/admin/valuation-rules", admin, rule(1700, 25), HttpStatus.CONFLICT).get("code")
			.asString()).isEqualTo("settings.conflict");

		send("PUT", "/api/v1/admin/locations/zga-de-vlinder", admin,
				Map.of("name", "De Vlinder", "subregion", "apeldoorn-noord", "latitude", 52.21, "longitude", 5.91),
				HttpStatus.OK);
		// PUT again changes the location (it used to try a second insert: 500).
		assertThat(
				send("PUT", "/api/v1/admin/locations/zga-de-vlinder", admin,
						Map.of("name", "De Vlinder (nieuw)", "subregion", "apeldoorn-noord", "latitude", 52.21,
								"longitude", 5.91),
						HttpStatus.OK)
					.get("name")
					.asString())
			.isEqualTo("De Vlinder (nieuw)");
		assertThat(send("PUT", "/api/v1/admin/locations/atlant-sparrenheuvel", admin,
				Map.of("name", "Mine now", "subregion", "apeldoorn-zuid"), HttpStatus.UNPROCESSABLE_CONTENT)
			.get("code")
			.asString()).isEqualTo("settings.location-id-outside-namespace");
		send("PUT", "/api/v1/admin/travel-times", admin, Map.of("fromLocationId", "zga-berg-en-bos", "toLocationId",
				"zga-de-vlinder", "minutes", 33, "validFrom", "2020-01-01"), HttpStatus.OK);
		JsonNode locations = this.http.get()
			.uri("/api/v1/locations")
			.headers((h) -> h.setBearerAuth(token("nurse.anna")))
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(locations.findValuesAsString("id")).contains("zga-de-vlinder");

		JsonNode saved = consultWithOutcome("zga-de-vlinder");
		JsonNode handover = entry(saved, "HANDOVER");
		assertThat(handover.get("minutes").asInt()).isEqualTo(25);
		assertThat(handover.get("ruleVersion").asInt()).isEqualTo(1);
		assertThat(entry(saved, "TRAVEL").get("minutes").asInt()).isEqualTo(66);
		assertThat(this.http.get()
			.uri("/api/v1/admin/valuation-rules")
			.headers((h) -> h.setBearerAuth(admin))
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody()
			.get(0)
			.get("hoursPerFtePerYear")
			.asInt()).isEqualTo(1600);
	}

	@Test
	void adminNamesTheInstitutionAsReportsShowIt() {
		send("PUT", "/api/v1/admin/institution", token("admin.ada"), Map.of("name", "Zorggroep Apeldoorn e.o."),
				HttpStatus.OK);
		JsonNode matrix = send("GET", "/api/v1/reports/capacity-matrix?period=2026", token("admin.ada"), null,
				HttpStatus.OK);
		assertThat(matrix.get("rows").get(0).get("institutionName").asString()).isEqualTo("Zorggroep Apeldoorn e.o.");
		assertThat(
				send("PUT", "/api/v1/admin/institution", token("admin.ada"), Map.of("name", ""), HttpStatus.BAD_REQUEST)
					.get("code")
					.asString())
			.isEqualTo("request.invalid");
	}

	@Test
	void csvImportsAreAllOrNothing() {
		String admin = token("admin.ada");
		String good = "id,name,subregion,latitude,longitude\n" + "zga-de-eik,De Eik,apeldoorn-zuid,52.19,5.97\n"
				+ "zga-de-beuk,De Beuk,apeldoorn-zuid,,\n";
		assertThat(csv("/api/v1/admin/locations/import", admin, good, HttpStatus.OK).get("imported").asInt())
			.isEqualTo(2);
		String bad = "id,name,subregion,latitude,longitude\n" + "zga-de-linde,De Linde,apeldoorn-zuid,52.2,5.9\n"
				+ "zga-de-es,De Es,apeldoorn-zuid,200,5.9\n" + "Not An Id,X,y,,\n";
		JsonNode refused = csv("/api/v1/admin/locations/import", admin, bad, HttpStatus.BAD_REQUEST);
		assertThat(refused.get("code").asString()).isEqualTo("import.invalid");
		assertThat(refused.get("errors").findValues("line").stream().map(JsonNode::asInt).toList()).containsExactly(3,
				4);
		JsonNode locations = this.http.get()
			.uri("/api/v1/locations")
			.headers((h) -> h.setBearerAuth(admin))
			.exchange()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(locations.findValuesAsString("id")).contains("zga-de-eik", "zga-de-beuk")
			.doesNotContain("zga-de-linde");

		String travel = "from,to,minutes,validFrom\n" + "zga-berg-en-bos,zga-de-eik,21,2020-01-01\n"
				+ "zga-berg-en-bos,zga-de-beuk,14,2020-01-01\n";
		assertThat(csv("/api/v1/admin/travel-times/import", admin, travel, HttpStatus.OK).get("imported").asInt())
			.isEqualTo(2);
		String wrong = "from,to,minutes,validFrom\n" + "zga-berg-en-bos,atlant-de-boskamp,9,2020-01-01\n";
		JsonNode wrongLine = csv("/api/v1/admin/travel-times/import", admin, wrong, HttpStatus.BAD_REQUEST)
			.get("errors")
			.get(0);
		assertThat(wrongLine.get("message").asString()).contains("atlant-de-boskamp");
		assertThat(wrongLine.get("line").asInt()).isEqualTo(2);
		String bases = "userId,locationId,validFrom\n" + this.api.userId("so.lotte") + ",zga-de-eik,2026-01-01\n";
		assertThat(csv("/api/v1/admin/consultants/bases/import", admin, bases, HttpStatus.OK).get("imported").asInt())
			.isEqualTo(1);
		assertThat(csv("/api/v1/admin/consultants/bases/import", admin,
				"userId,locationId,validFrom\n" + this.api.userId("so.daan") + ",zga-de-eik,2026-01-01\n",
				HttpStatus.BAD_REQUEST)
			.get("errors")
			.get(0)
			.get("line")
			.asInt()).isEqualTo(2);
		assertThat(csv("/api/v1/admin/travel-times/import", admin, "nonsense\n1\n", HttpStatus.BAD_REQUEST).get("code")
			.asString()).isEqualTo("import.invalid");
	}

	private JsonNode consultWithOutcome(String location) {
		String sophie = token("so.sophie");
		String id = this.api.connectedAndEnded(token("nurse.anna"), sophie, this.api.userId("so.sophie"), location,
				"SO");
		return this.api.put("/api/v1/consults/" + id + "/outcome", sophie,
				Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", "PHYSICAL_VISIT"), HttpStatus.OK);
	}

	private static Map<String, Object> rule(int hours, int bedside) {
		return Map.of("validFrom", "2020-01-01", "hoursPerFtePerYear", hours, "handoverBedside", bedside, "handoverAnw",
				20, "handoverImoz", 15, "handoverExpert", 10, "handoverCap", 60);
	}

	private static JsonNode entry(JsonNode timeSaved, String kind) {
		for (JsonNode entry : timeSaved.get("entries")) {
			if (entry.get("kind").asString().equals(kind)) {
				return entry;
			}
		}
		throw new AssertionError("No " + kind + " in " + timeSaved);
	}

	private JsonNode csv(String path, String token, String body, HttpStatus status) {
		return this.api.postCsv(path, token, body, status);
	}

	private JsonNode send(String method, String path, String token, Object body, HttpStatus status) {
		return this.api.send(org.springframework.http.HttpMethod.valueOf(method), path, token, body, status);
	}

	private String token(String username) {
		return this.api.token(username);
	}

}
