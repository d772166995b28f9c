package nl.beeldzorg.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
 * The ADMIN's side of routing over HTTP: the ANW roster refuses overlaps and reports gaps
 * (by API and by all-or-nothing CSV), only for the admin's own subregions; expertise tags
 * make an EXPERT consult ring across institutions.
 */
class RosterAndExpertiseTests extends DemoApplicationTests {

	private static final Instant MONDAY = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(60));

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-roster");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void overlappingShiftsAreRefusedAndGapsReported() {
		String admin = this.api.token("admin.ada");
		JsonNode first = this.api.post("/api/v1/admin/on-call-shifts", admin,
				shift("so.sophie", "PRIMARY", MONDAY.plus(Duration.ofHours(17)), MONDAY.plus(Duration.ofHours(32))),
				HttpStatus.CREATED);
		// The 24 h around the shift: no primary before 17:00 and after 08:00; no backup
		// at all.
		assertThat(gaps(first.get("gaps"), "PRIMARY")).hasSize(2);
		assertThat(gaps(first.get("gaps"), "BACKUP")).hasSize(1);
		JsonNode overlap = this.api.post("/api/v1/admin/on-call-shifts", admin,
				shift("so.lotte", "PRIMARY", MONDAY.plus(Duration.ofHours(30)), MONDAY.plus(Duration.ofHours(40))),
				HttpStatus.CONFLICT);
		assertThat(overlap.get("code").asString()).isEqualTo("roster.overlap");
		assertThat(overlap.get("detail").asString()).contains(this.api.userId("so.sophie"));
		// A backup may run beside the primary.
		this.api.post("/api/v1/admin/on-call-shifts", admin,
				shift("so.lotte", "BACKUP", MONDAY.plus(Duration.ofHours(17)), MONDAY.plus(Duration.ofHours(32))),
				HttpStatus.CREATED);
		// Atlant's admin does not keep Zorggroep Apeldoorn's... but both have
		// apeldoorn-zuid;
		// nobody keeps a subregion where they have no location.
		JsonNode foreign = this.api.post("/api/v1/admin/on-call-shifts", admin,
				Map.of("subregion", "deventer", "discipline", "SO", "consultantId", this.api.userId("so.sophie"),
						"role", "PRIMARY", "startsAt", MONDAY.toString(), "endsAt",
						MONDAY.plus(Duration.ofHours(8)).toString()),
				HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(foreign.get("code").asString()).isEqualTo("roster.unknown-subregion");
		this.api.post("/api/v1/admin/on-call-shifts", this.api.token("nurse.anna"),
				shift("so.sophie", "PRIMARY", MONDAY.plus(Duration.ofDays(3)), MONDAY.plus(Duration.ofDays(4))),
				HttpStatus.FORBIDDEN);
	}

	@Test
	void csvImportIsAllOrNothingAndListsEveryBadLine() {
		String admin = this.api.token("admin.ada");
		Instant week = MONDAY.plus(Duration.ofDays(7));
		String sophie = this.api.userId("so.sophie");
		String lotte = this.api.userId("so.lotte");
		String bad = "subregion,discipline,consultantId,role,startsAt,endsAt\n" + "apeldoorn-zuid,SO," + sophie
				+ ",PRIMARY," + week + "," + week.plus(Duration.ofHours(12)) + "\n" + "apeldoorn-zuid,SO," + lotte
				+ ",PRIMARY," + week.plus(Duration.ofHours(6)) + "," + week.plus(Duration.ofHours(18)) + "\n"
				+ "apeldoorn-zuid,NURSE," + lotte + ",BACKUP," + week + "," + week.plus(Duration.ofHours(1)) + "\n"
				+ "apeldoorn-zuid,SO," + lotte + ",SOMETIMES," + week + "," + week.plus(Duration.ofHours(1)) + "\n";
		JsonNode refused = csv(admin, bad, HttpStatus.BAD_REQUEST);
		assertThat(refused.get("code").asString()).isEqualTo("import.invalid");
		assertThat(refused.get("detail").asString()).contains("line 3").contains("line 4").contains("line 5");
		JsonNode listed = this.api.get("/api/v1/admin/on-call-shifts?subregion=apeldoorn-zuid&from=" + week + "&to="
				+ week.plus(Duration.ofDays(1)), admin, HttpStatus.OK);
		assertThat(listed.get("shifts")).as("nothing imported").isEmpty();

		String good = "subregion,discipline,consultantId,role,startsAt,endsAt\n" + "apeldoorn-zuid,SO," + sophie
				+ ",PRIMARY," + week + "," + week.plus(Duration.ofHours(12)) + "\n" + "apeldoorn-zuid,SO," + lotte
				+ ",PRIMARY," + week.plus(Duration.ofHours(12)) + "," + week.plus(Duration.ofHours(24)) + "\n";
		JsonNode imported = csv(admin, good, HttpStatus.OK);
		assertThat(imported.get("imported").asInt()).isEqualTo(2);
		assertThat(gaps(imported.get("gaps"), "BACKUP")).isNotEmpty();
	}

	@Test
	void expertConsultRingsPresentCarriersOfTheTagAcrossInstitutions() {
		String admin = this.api.token("admin.ada");
		this.api.put("/api/v1/admin/consultants/" + this.api.userId("so.lotte") + "/expertise", admin,
				Map.of("tags", List.of("wounds")), HttpStatus.OK);
		assertThat(this.api
			.put("/api/v1/admin/consultants/" + this.api.userId("so.lotte") + "/expertise", admin,
					Map.of("tags", List.of("astrology")), HttpStatus.UNPROCESSABLE_CONTENT)
			.get("code")
			.asString()).isEqualTo("routing.unknown-expertise");
		// Atlant's SO carries the tag too; Zorggroep's admin cannot set it, so it is set
		// here
		// through the Expertise table as Atlant's admin would.
		JsonNode tags = this.api.get("/api/v1/expertise-tags", admin, HttpStatus.OK);
		assertThat(tags.toString()).contains("wounds");
		present("so.lotte", "so.sophie");
		String sophie = this.api.token("so.sophie");
		JsonNode started = this.api.post("/api/v1/consults", sophie, Map.of("kind", "EXPERT", "clientRef", "K-WOUND",
				"urgency", "ROUTINE", "expertise", "wounds", "question", "Decubitus graad 3 hiel: beleid?"),
				HttpStatus.CREATED);
		assertThat(started.get("expertise").asString()).isEqualTo("wounds");
		assertThat(started.get("ringing").get(0).get("userId").asString()).isEqualTo(this.api.userId("so.lotte"));
		assertThat(started.get("ringing")).hasSize(1);
		assertThat(this.api
			.post("/api/v1/consults", sophie,
					Map.of("kind", "EXPERT", "clientRef", "K-WOUND", "urgency", "ROUTINE", "expertise", "astrology"),
					HttpStatus.UNPROCESSABLE_CONTENT)
			.get("code")
			.asString()).isEqualTo("routing.unknown-expertise");
		assertThat(this.api
			.post("/api/v1/consults", sophie,
					Map.of("kind", "EXPERT", "clientRef", "K-WOUND", "urgency", "ROUTINE", "expertise", "psychiatry"),
					HttpStatus.UNPROCESSABLE_CONTENT)
			.get("code")
			.asString()).isEqualTo("consult.no-consultant-available");
	}

	private Map<String, Object> shift(String username, String role, Instant from, Instant to) {
		return Map.of("subregion", "apeldoorn-noord", "discipline", "SO", "consultantId", this.api.userId(username),
				"role", role, "startsAt", from.toString(), "endsAt", to.toString());
	}

	private JsonNode csv(String admin, String body, HttpStatus status) {
		return this.api.postCsv("/api/v1/admin/on-call-shifts/import", admin, body, status);
	}

	private static List<JsonNode> gaps(JsonNode gaps, String role) {
		List<JsonNode> found = new ArrayList<>();
		gaps.forEach((gap) -> {
			if (gap.get("role").asString().equals(role)) {
				found.add(gap);
			}
		});
		return found;
	}

}
