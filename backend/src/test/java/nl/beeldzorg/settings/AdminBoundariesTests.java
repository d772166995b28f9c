package nl.beeldzorg.settings;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one institution's ADMIN may not do to the region: learn that another institution's
 * location exists, enter travel between two institutions, make up a subregion by naming
 * it on a location, move the centre of a postcode area (which values every institution's
 * home visits), or store a name a spreadsheet would run as a formula. And what they may:
 * edit their own location.
 */
abstract class AdminBoundariesTests extends DemoApplicationTests {

	@Autowired
	private DatabaseClient db;

	@Test
	void anAdminEditsAnExistingLocation() {
		String admin = this.api.token("admin.ada");
		JsonNode edited = this.api.put("/api/v1/admin/locations/zga-de-sprengel", admin, Map.of("name",
				"De Sprengel (nieuwbouw)", "subregion", "apeldoorn-zuid", "latitude", 52.2262, "longitude", 5.9578),
				HttpStatus.OK);
		assertThat(edited.get("name").asString()).isEqualTo("De Sprengel (nieuwbouw)");
		JsonNode sprengel = location(admin, "zga-de-sprengel");
		assertThat(sprengel.get("name").asString()).isEqualTo("De Sprengel (nieuwbouw)");
		assertThat(sprengel.get("subregion").asString()).isEqualTo("apeldoorn-zuid");
		// Twice is the same edit, and the CSV import edits as well.
		this.api.put("/api/v1/admin/locations/zga-de-sprengel", admin,
				Map.of("name", "De Sprengel (nieuwbouw)", "subregion", "apeldoorn-zuid"), HttpStatus.OK);
		assertThat(this.api.postCsv("/api/v1/admin/locations/import", admin,
				"id,name,subregion,latitude,longitude\nzga-de-sprengel,De Sprengel,apeldoorn-noord,52.2261,5.9577\n",
				HttpStatus.OK)
			.get("imported")
			.asInt()).isEqualTo(1);
		assertThat(location(admin, "zga-de-sprengel").get("name").asString()).isEqualTo("De Sprengel");
	}

	@Test
	void anotherInstitutionsLocationIsAnsweredAsOneThatDoesNotExist() {
		String admin = this.api.token("admin.ada");
		Map<String, Object> body = Map.of("name", "Van ons", "subregion", "apeldoorn-zuid");
		JsonNode foreign = this.api.put("/api/v1/admin/locations/atlant-sparrenheuvel", admin, body,
				HttpStatus.UNPROCESSABLE_CONTENT);
		JsonNode unknown = this.api.put("/api/v1/admin/locations/atlant-bestaat-niet", admin, body,
				HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(foreign.get("code").asString()).isEqualTo("settings.location-id-outside-namespace");
		assertThat(unknown.get("code").asString()).isEqualTo(foreign.get("code").asString());
		assertThat(unknown.get("detail").asString().replace("atlant-bestaat-niet", "…"))
			.isEqualTo(foreign.get("detail").asString().replace("atlant-sparrenheuvel", "…"));
		assertThat(unknown.get("errors").toString().replace("atlant-bestaat-niet", "…"))
			.isEqualTo(foreign.get("errors").toString().replace("atlant-sparrenheuvel", "…"));
		// Atlant's location is untouched, and a new one in the own namespace is made.
		assertThat(location(this.api.token("nurse.bram"), "atlant-sparrenheuvel").get("name").asString())
			.isEqualTo("Sparrenheuvel");
		this.api.put("/api/v1/admin/locations/zga-de-wingerd", admin,
				Map.of("name", "De Wingerd", "subregion", "apeldoorn-zuid"), HttpStatus.OK);
		// The CSV import answers alike.
		List<String> messages = new java.util.ArrayList<>();
		for (String id : List.of("atlant-sparrenheuvel", "atlant-bestaat-niet")) {
			JsonNode imported = this.api.postCsv("/api/v1/admin/locations/import", admin,
					"id,name,subregion,latitude,longitude\n" + id + ",X,apeldoorn-zuid,,\n", HttpStatus.BAD_REQUEST);
			assertThat(imported.get("errors").get(0).get("line").asInt()).isEqualTo(2);
			messages.add(imported.get("errors").get(0).get("message").asString().replace(id, "…"));
		}
		assertThat(messages.get(0)).isEqualTo(messages.get(1));
	}

	/**
	 * Ids in the own namespace that another institution holds anyway (an institution
	 * whose id extends this one's, or a location stored before namespaces) are refused
	 * like any other id outside it.
	 */
	@Test
	void anIdInTheOwnNamespaceHeldByAnotherInstitutionIsAnsweredAlike() {
		String admin = this.api.token("admin.ada");
		sql("INSERT INTO institution (id, name) VALUES ('zga-noord', 'ZGA Noord')");
		sql("INSERT INTO location (id, institution_id, name, subregion) VALUES ('zga-noord-de-es', 'zga-noord',"
				+ " 'De Es', 'apeldoorn-noord')");
		sql("INSERT INTO location (id, institution_id, name, subregion) VALUES ('zga-van-vroeger', 'atlant',"
				+ " 'Van vroeger', 'apeldoorn-zuid')");
		Map<String, Object> body = Map.of("name", "Van ons", "subregion", "apeldoorn-noord");
		List<String> answers = new java.util.ArrayList<>();
		for (String id : List.of("zga-noord-de-es", "zga-noord-bestaat-niet", "zga-van-vroeger", "atlant-x")) {
			JsonNode refused = this.api.put("/api/v1/admin/locations/" + id, admin, body,
					HttpStatus.UNPROCESSABLE_CONTENT);
			assertThat(refused.get("code").asString()).as(id).isEqualTo("settings.location-id-outside-namespace");
			answers.add(refused.get("detail").asString().replace(id, "…"));
		}
		assertThat(answers).as("one answer for all four").containsOnly(answers.get(0));
		assertThat(this.db.sql("SELECT name FROM location WHERE id = 'zga-van-vroeger'")
			.map((row) -> row.get("name", String.class))
			.one()
			.block(Duration.ofSeconds(10))).isEqualTo("Van vroeger");
	}

	private void sql(String statement) {
		this.db.sql(statement).then().block(Duration.ofSeconds(10));
	}

	@Test
	void travelBetweenTwoInstitutionsLocationsIsRefused() {
		String admin = this.api.token("admin.ada");
		for (Map<String, Object> travel : List.<Map<String, Object>>of(
				Map.of("fromLocationId", "atlant-sparrenheuvel", "toLocationId", "zga-de-heemhof", "minutes", 1,
						"validFrom", "2020-01-01"),
				Map.of("fromLocationId", "zga-de-heemhof", "toLocationId", "atlant-sparrenheuvel", "minutes", 1,
						"validFrom", "2020-01-01"))) {
			JsonNode refused = this.api.put("/api/v1/admin/travel-times", admin, travel,
					HttpStatus.UNPROCESSABLE_CONTENT);
			assertThat(refused.get("code").asString()).as(travel.toString())
				.isEqualTo("settings.travel-outside-institution");
		}
		JsonNode csv = this.api.postCsv("/api/v1/admin/travel-times/import", admin,
				"from,to,minutes,validFrom\natlant-sparrenheuvel,zga-de-heemhof,1,2020-01-01\n",
				HttpStatus.BAD_REQUEST);
		assertThat(csv.get("errors").get(0).get("line").asInt()).isEqualTo(2);
		assertThat(this.api.get("/api/v1/admin/travel-times", admin, HttpStatus.OK).toString())
			.doesNotContain("atlant");
		this.api.put("/api/v1/admin/travel-times", admin, Map.of("fromLocationId", "zga-de-heemhof", "toLocationId",
				"zga-de-sprengel", "minutes", 14, "validFrom", "2020-01-01"), HttpStatus.OK);
	}

	@Test
	void anAdminCannotMakeUpASubregionButTheProgrammeOfficeKeepsTheList() {
		String admin = this.api.token("admin.ada");
		JsonNode refused = this.api.put("/api/v1/admin/locations/zga-de-sprengel", admin,
				Map.of("name", "De Sprengel", "subregion", "deventer"), HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(refused.get("code").asString()).isEqualTo("settings.unknown-subregion");
		assertThat(refused.get("errors").get(0).get("field").asString()).isEqualTo("subregion");
		this.api.put("/api/v1/admin/locations/zga-de-nieuwe", admin, Map.of("name", "De Nieuwe", "subregion", "epe"),
				HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(location(admin, "zga-de-sprengel").get("subregion").asString()).isEqualTo("apeldoorn-noord");
		// So no roster for it either.
		Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(30));
		assertThat(this.api
			.post("/api/v1/admin/on-call-shifts", admin,
					Map.of("subregion", "deventer", "discipline", "SO", "consultantId", this.api.userId("so.sophie"),
							"role", "PRIMARY", "startsAt", day.toString(), "endsAt",
							day.plus(Duration.ofHours(8)).toString()),
					HttpStatus.UNPROCESSABLE_CONTENT)
			.get("code")
			.asString()).isEqualTo("roster.unknown-subregion");

		// The list: everyone reads it; an ADMIN (or a nurse) cannot add to it.
		JsonNode subregions = this.api.get("/api/v1/subregions", admin, HttpStatus.OK);
		assertThat(subregions.findValuesAsString("id")).containsExactly("apeldoorn-noord", "apeldoorn-zuid");
		this.api.put("/api/v1/programme/subregions/deventer", admin, Map.of("name", "Deventer"), HttpStatus.FORBIDDEN);
		this.api.put("/api/v1/programme/subregions/deventer", this.api.token("nurse.anna"), Map.of("name", "Deventer"),
				HttpStatus.FORBIDDEN);
		// The programme office adds it; then a location may be in it.
		String programme = this.api.token("programme.pim");
		this.api.put("/api/v1/programme/subregions/deventer", programme, Map.of("name", "Deventer"), HttpStatus.OK);
		assertThat(this.api.get("/api/v1/subregions", admin, HttpStatus.OK).findValuesAsString("name"))
			.contains("Deventer");
		this.api.put("/api/v1/admin/locations/zga-de-nieuwe", admin,
				Map.of("name", "De Nieuwe", "subregion", "deventer"), HttpStatus.OK);
		assertThat(this.api
			.put("/api/v1/programme/subregions/Not_An_Id", programme, Map.of("name", "X"), HttpStatus.BAD_REQUEST)
			.get("code")
			.asString()).isEqualTo("request.invalid");
	}

	@Test
	void aPostcodeAreasCentreIsTheProgrammeOfficesNotOneInstitutionsAdmins() {
		Map<String, Object> centre = Map.of("latitude", 52.0, "longitude", 6.0);
		JsonNode refused = this.api.put("/api/v1/imoz/home-areas/7311", this.api.token("admin.ada"), centre,
				HttpStatus.FORBIDDEN);
		assertThat(refused.get("code").asString()).isEqualTo("auth.forbidden");
		this.api.put("/api/v1/imoz/home-areas/7311", this.api.token("so.sophie"), centre, HttpStatus.FORBIDDEN);
		JsonNode kept = this.api.put("/api/v1/imoz/home-areas/7311", this.api.token("programme.pim"), centre,
				HttpStatus.OK);
		assertThat(kept.get("latitude").asDouble()).isEqualTo(52.0);
	}

	@Test
	void namesASpreadsheetWouldRunAsAFormulaAreRefused() {
		String admin = this.api.token("admin.ada");
		for (String name : List.of("=HYPERLINK(\"http://x\",\"klik\")", "+31 6", "-2+3", "@SUM(A1)", "\tDe Eik",
				"\rDe Eik")) {
			JsonNode location = this.api.put("/api/v1/admin/locations/zga-de-eik", admin,
					Map.of("name", name, "subregion", "apeldoorn-zuid"), HttpStatus.BAD_REQUEST);
			assertThat(location.get("code").asString()).as(name).isEqualTo("request.invalid");
			assertThat(location.get("errors").get(0).get("field").asString()).as(name).isEqualTo("name");
			assertThat(location.get("errors").get(0).get("code").asString()).as(name)
				.isEqualTo("request.field-formula-like");
			JsonNode institution = this.api.put("/api/v1/admin/institution", admin, Map.of("name", name),
					HttpStatus.BAD_REQUEST);
			assertThat(institution.get("errors").get(0).get("code").asString()).as(name)
				.isEqualTo("request.field-formula-like");
			JsonNode subregion = this.api.put("/api/v1/programme/subregions/zutphen", this.api.token("programme.pim"),
					Map.of("name", name), HttpStatus.BAD_REQUEST);
			assertThat(subregion.get("errors").get(0).get("code").asString()).as(name)
				.isEqualTo("request.field-formula-like");
		}
		JsonNode csv = this.api.postCsv("/api/v1/admin/locations/import", admin,
				"id,name,subregion,latitude,longitude\nzga-de-eik,\"=1+1\",apeldoorn-zuid,,\n", HttpStatus.BAD_REQUEST);
		assertThat(csv.get("errors").get(0).get("line").asInt()).isEqualTo(2);
		assertThat(this.api.get("/api/v1/locations", admin, HttpStatus.OK).findValuesAsString("id"))
			.doesNotContain("zga-de-eik");
		// A dash or a plus inside a name is fine.
		this.api.put("/api/v1/admin/locations/zga-de-eik", admin,
				Map.of("name", "De Eik-Noord +", "subregion", "apeldoorn-zuid"), HttpStatus.OK);
		this.api.send(HttpMethod.PUT, "/api/v1/admin/institution", admin, Map.of("name", "Zorggroep Apeldoorn"),
				HttpStatus.OK);
	}

	private JsonNode location(String token, String id) {
		for (JsonNode location : this.api.get("/api/v1/locations", token, HttpStatus.OK)) {
			if (location.get("id").asString().equals(id)) {
				return location;
			}
		}
		throw new AssertionError("no location " + id);
	}

}
