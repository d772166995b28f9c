package nl.beeldzorg.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may be put on the ANW roster: only the ADMIN's own institution's consultants of the
 * shift's discipline. A nurse, a huisarts, another institution's SO or an id nobody has
 * would otherwise be rung for an out-of-hours consult and read its question. Someone
 * unknown and someone of another institution get the same answer.
 */
class RosterMembershipTests extends DemoApplicationTests {

	private static final Instant DAY = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(90));

	@Autowired
	private OnCallRoster roster;

	@Autowired
	private Router router;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-roster-membership");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void onlyTheAdminsOwnConsultantsOfTheShiftsDisciplineGoOnTheRoster() {
		String admin = this.api.token("admin.ada");
		Map<String, String> refused = new LinkedHashMap<>();
		refused.put("a nurse of the institution", this.api.userId("nurse.anna"));
		refused.put("a huisarts", this.api.userId("ha.huib"));
		refused.put("another institution's SO", this.api.userId("so.daan"));
		refused.put("an id nobody has", UUID.randomUUID().toString());
		refused.put("the institution's BA on an SO roster", this.api.userId("ba.bas"));
		JsonNode first = null;
		int hour = 0;
		for (Map.Entry<String, String> who : refused.entrySet()) {
			JsonNode answer = this.api.post("/api/v1/admin/on-call-shifts", admin,
					shift("SO", who.getValue(), DAY.plus(Duration.ofHours(hour)), DAY.plus(Duration.ofHours(hour + 1))),
					HttpStatus.UNPROCESSABLE_CONTENT);
			assertThat(answer.get("code").asString()).as(who.getKey()).isEqualTo("roster.unknown-consultant");
			assertThat(answer.get("errors").get(0).get("field").asString()).as(who.getKey()).isEqualTo("consultantId");
			// The answer names the discipline, never whether (or where) the user exists.
			assertThat(answer.get("detail").asString()).as(who.getKey())
				.doesNotContain("atlant")
				.doesNotContain("NURSE")
				.doesNotContain("HUISARTS");
			if (first == null) {
				first = answer;
			}
			hour += 2;
		}
		JsonNode foreign = this.api.post("/api/v1/admin/on-call-shifts", admin,
				shift("SO", this.api.userId("so.daan"), DAY, DAY.plus(Duration.ofHours(1))),
				HttpStatus.UNPROCESSABLE_CONTENT);
		JsonNode nobody = this.api.post("/api/v1/admin/on-call-shifts", admin,
				shift("SO", "nobody-at-all", DAY, DAY.plus(Duration.ofHours(1))), HttpStatus.UNPROCESSABLE_CONTENT);
		assertThat(withoutId(foreign.get("detail").asString(), this.api.userId("so.daan")))
			.as("another institution's SO is answered as one nobody has")
			.isEqualTo(withoutId(nobody.get("detail").asString(), "nobody-at-all"));
		JsonNode listed = this.api.get("/api/v1/admin/on-call-shifts?subregion=apeldoorn-noord&from=" + DAY + "&to="
				+ DAY.plus(Duration.ofDays(1)), admin, HttpStatus.OK);
		assertThat(listed.get("shifts")).as("nothing stored").isEmpty();

		// The own BA on a BA roster, the own SO on an SO roster: fine.
		this.api.post("/api/v1/admin/on-call-shifts", admin,
				shift("BA", this.api.userId("ba.bas"), DAY, DAY.plus(Duration.ofHours(8))), HttpStatus.CREATED);
		this.api.post("/api/v1/admin/on-call-shifts", admin,
				shift("SO", this.api.userId("so.sophie"), DAY, DAY.plus(Duration.ofHours(8))), HttpStatus.CREATED);
	}

	@Test
	void csvImportListsEveryLineWithSomebodyWhoIsNotTheAdminsConsultant() {
		String admin = this.api.token("admin.ada");
		Instant day = DAY.plus(Duration.ofDays(7));
		String csv = "subregion,discipline,consultantId,role,startsAt,endsAt\n" + line("SO", "so.sophie", day, 0)
				+ line("SO", "nurse.anna", day, 8) + line("SO", "so.daan", day, 16) + "apeldoorn-noord,SO,ghost,BACKUP,"
				+ day + "," + day.plus(Duration.ofHours(4)) + "\n";
		JsonNode refused = this.api.postCsv("/api/v1/admin/on-call-shifts/import", admin, csv, HttpStatus.BAD_REQUEST);
		assertThat(refused.get("code").asString()).isEqualTo("import.invalid");
		assertThat(refused.get("detail").asString()).contains("line 3")
			.contains("line 4")
			.contains("line 5")
			.doesNotContain("line 2");
		JsonNode listed = this.api.get("/api/v1/admin/on-call-shifts?subregion=apeldoorn-noord&from=" + day + "&to="
				+ day.plus(Duration.ofDays(1)), admin, HttpStatus.OK);
		assertThat(listed.get("shifts")).as("nothing imported").isEmpty();
	}

	/**
	 * A shift stored before this rule (or whose consultant left the institution) does not
	 * ring the wrong person: routing rings only a consultant of the shift's institution
	 * and discipline.
	 */
	@Test
	void aStoredShiftOfSomebodyWhoIsNotTheInstitutionsConsultantDoesNotRing() {
		Instant night = DAY.plus(Duration.ofDays(20));
		this.roster
			.add(new OnCallRoster.Shift(UUID.randomUUID(), "apeldoorn-zuid", Discipline.SO,
					this.api.userId("nurse.bram"), OnCallRoster.Role.PRIMARY, night, night.plus(Duration.ofHours(8)),
					"atlant", "legacy", night))
			.block(Duration.ofSeconds(10));
		this.roster
			.add(new OnCallRoster.Shift(UUID.randomUUID(), "apeldoorn-zuid", Discipline.SO,
					this.api.userId("so.sophie"), OnCallRoster.Role.BACKUP, night, night.plus(Duration.ofHours(8)),
					"atlant", "legacy", night))
			.block(Duration.ofSeconds(10));
		Router.RingPlan plan = this.router
			.onCall("apeldoorn-zuid", Discipline.SO, night.plus(Duration.ofHours(1)), this.api.userId("nurse.anna"))
			.block(Duration.ofSeconds(10));
		assertThat(plan.stages()).as("neither Atlant's nurse nor Zorggroep's SO on Atlant's shifts rings").isEmpty();
	}

	private String line(String discipline, String username, Instant day, int hour) {
		return "apeldoorn-noord," + discipline + "," + this.api.userId(username) + ",PRIMARY,"
				+ day.plus(Duration.ofHours(hour)) + "," + day.plus(Duration.ofHours(hour + 8)) + "\n";
	}

	private static Map<String, Object> shift(String discipline, String consultantId, Instant from, Instant to) {
		return Map.of("subregion", "apeldoorn-noord", "discipline", discipline, "consultantId", consultantId, "role",
				"PRIMARY", "startsAt", from.toString(), "endsAt", to.toString());
	}

	private static String withoutId(String detail, String id) {
		return detail.replace(id, "…");
	}

}
