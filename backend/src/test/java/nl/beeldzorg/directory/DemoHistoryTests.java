package nl.beeldzorg.directory;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Demo mode's seeded programme year on its embedded H2: figures beyond the suppression
 * threshold for every institution, discipline, month, kind and outcome; booked through
 * the ledger (cells equal the ledger); seeded once across restarts; and the dashboard
 * showing names, the capacity matrix and suppressed cells, at desktop and phone size.
 */
@TestPropertySource(properties = "beeldzorg.demo.history=true")
class DemoHistoryTests extends DemoApplicationTests {

	static final Path SHOTS = Path.of(System.getProperty("beeldzorg.shots", "target/screenshots"));

	@DynamicPropertySource
	static void h2(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-demo-history");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Autowired
	DemoHistory history;

	@Autowired
	DatabaseClient db;

	final LocalDate today = LocalDate.now(ZoneId.of("Europe/Amsterdam"));

	final LocalDate yearAgo = YearMonth.from(this.today).minusMonths(11).atDay(1);

	@Test
	void aYearOfHistoryStandsAboveTheSuppressionThreshold() {
		String pim = this.api.token("programme.pim");
		JsonNode byInstitution = report(pim, "institution");
		assertThat(byInstitution.get("rows")).hasSize(7);
		for (JsonNode row : byInstitution.get("rows")) {
			assertThat(row.get("suppressed").asBoolean()).as(row.toString()).isFalse();
			assertThat(row.get("consults").asInt()).as(row.toString()).isGreaterThan(50);
			assertThat(row.get("minutesSaved").asInt()).isPositive();
			assertThat(row.get("outcomeCompleteness").asDouble()).isBetween(0.5, 1.0);
		}
		assertThat(byInstitution.get("rows").findValuesAsString("institutionName")).contains("Zorggroep Apeldoorn",
				"Atlant", "Nusantara", "WZU Veluwe", "Sensire – Zutphen", "Den Bouw", "SZMK");
		// Not everyone records every outcome: the undercount the dashboard shows.
		assertThat(byInstitution.get("rows").findValues("outcomeCompleteness")).anyMatch((v) -> v.asDouble() < 0.8);

		// Suppression's atoms are made per quarter: quarters per institution are shown,
		// single months mostly not (see BaseCell.LEVELS).
		JsonNode byQuarter = report(pim, "institution,quarter");
		long quarters = byQuarter.get("rows").findValuesAsString("quarter").stream().distinct().count();
		assertThat(quarters).isGreaterThanOrEqualTo(4);
		long shown = 0;
		for (JsonNode row : byQuarter.get("rows")) {
			shown += row.get("suppressed").asBoolean() ? 0 : 1;
		}
		assertThat(shown).isGreaterThanOrEqualTo(7 * 3);

		JsonNode byDiscipline = report(pim, "discipline");
		assertThat(byDiscipline.get("rows").findValuesAsString("discipline")).containsExactlyInAnyOrder("SO", "BA",
				"VS", "PA", "GZP");
		// Every discipline rests on enough consultants region-wide; a discipline's total
		// is
		// shown unless it would, with the per-institution figures, give away a small cell
		// (complementary suppression: small cells are grouped within their institution).
		byDiscipline.get("rows").forEach((row) -> {
			if (row.get("suppressed").asBoolean()) {
				assertThat(row.get("suppressedBecause").asString()).as(row.toString()).isEqualTo("complementary");
				assertThat(row.get("fteEquivalent").isNull()).as(row.toString()).isTrue();
			}
			else {
				assertThat(row.get("fteEquivalent").asDouble()).as(row.toString()).isPositive();
			}
		});
		JsonNode byKind = report(pim, "kind");
		assertThat(byKind.get("rows").findValuesAsString("kind")).contains("BEDSIDE", "ANW", "IMOZ", "EXPERT");
		// Rare kinds (an expert asked, IMOZ) are grouped with the others of their
		// institution and discipline: a kind's total is shown only when no such group
		// cuts
		// through it.
		byKind.get("rows")
			.forEach((row) -> assertThat(!row.get("suppressed").asBoolean()
					|| "complementary".equals(row.get("suppressedBecause").asString()))
				.as(row.toString())
				.isTrue());
		assertThat(byKind.get("totals").get("suppressed").asBoolean()).isFalse();
		JsonNode outcomes = this.api.get("/api/v1/reports/outcomes?from=" + this.yearAgo + "&to=" + this.today, pim,
				HttpStatus.OK);
		assertThat(outcomes.get("rows").findValuesAsString("resolution")).contains("RESOLVED_REMOTELY",
				"VISIT_STILL_NEEDED", "REFERRED");

		JsonNode matrix = this.api.get("/api/v1/reports/capacity-matrix?period=" + lastCompleteQuarter(), pim,
				HttpStatus.OK);
		JsonNode zga = row(matrix, "zga");
		for (String discipline : List.of("SO", "BA", "VS", "PA", "GZP")) {
			assertThat(zga.get("cells").get(discipline).get("suppressed").asBoolean()).as(discipline).isFalse();
			assertThat(zga.get("cells").get(discipline).get("fteEquivalent").asDouble()).as(discipline).isPositive();
		}
		// One BA at Den Bouw: never shown programme-wide.
		assertThat(row(matrix, "den-bouw").get("cells").get("BA").get("suppressed").asBoolean()).isTrue();
	}

	@Test
	void theHistoryIsBookedThroughTheLedgerOnceAcrossRestarts() {
		Map<String, Long> before = figures();
		assertThat(before.get("consults")).isGreaterThan(700);
		assertThat(before.get("cellMinutes")).isEqualTo(before.get("ledgerMinutes")).isPositive();
		assertThat(before.get("cellConsults")).isEqualTo(before.get("ended"));
		assertThat(before.get("cellOutcomes")).isEqualTo(before.get("outcomes")).isLessThan(before.get("ended"));
		assertThat(before.get("lost")).isPositive();

		// A restart of a completed seed seeds nothing.
		assertThat(this.history.seed().block()).isZero();
		assertThat(figures()).isEqualTo(before);

		// A seed interrupted before it completed continues without counting twice.
		this.db.sql("UPDATE demo_seed SET completed_at = NULL").then().block();
		assertThat(this.history.seed().block()).isEqualTo(before.get("consults").intValue());
		assertThat(figures()).isEqualTo(before);
		assertThat(this.db.sql("SELECT COUNT(*) AS n FROM demo_seed WHERE completed_at IS NOT NULL")
			.map((row) -> row.get("n", Long.class))
			.one()
			.block()).isEqualTo(1L);
	}

	@Test
	void dashboardShowsNamesTheMatrixAndSuppressedCellsOnDesktopAndPhone() throws Exception {
		String url = "http://127.0.0.1:" + this.port + "/programme/?as=programme.pim";
		try (Browsers browsers = Browsers.launch()) {
			for (int[] size : new int[][] { { 1366, 768 }, { 390, 844 } }) {
				Page page = browsers.page(size[0], size[1]);
				page.navigate(url);
				page.waitForSelector("body[data-loaded=true]");
				String names = page.locator("#completeness tbody").innerText();
				assertThat(names).contains("Zorggroep Apeldoorn", "Sensire – Zutphen", "WZU Veluwe")
					.doesNotContain("zga", "wzu-veluwe");
				assertThat(page.locator("#institution option").allInnerTexts()).contains("Den Bouw", "SZMK");
				assertThat(page.locator("#table tbody tr").first().locator("td").first().innerText())
					.isEqualTo("Atlant");
				assertThat(page.locator("#period").inputValue()).isEqualTo(lastCompleteQuarter());
				List<String> heads = page.locator("#matrix thead tr").first().locator("th").allInnerTexts();
				assertThat(heads).containsExactly("DMZ-capaciteit", "SO", "BA", "VS", "PA", "GZP");
				assertThat(page.locator("#matrix tbody tr")).isNotNull();
				assertThat(page.locator("#matrix tbody tr").count()).isEqualTo(7);
				String denBouwBa = page.locator("#matrix tr[data-institution=den-bouw] td[data-discipline=BA]")
					.innerText();
				assertThat(denBouwBa).isEqualTo("onderdrukt");
				assertThat(page.locator("#matrix tr[data-institution=zga] td[data-discipline=SO]").innerText())
					.matches("\\d+,\\d{3}");
				assertThat(page.locator("#matrix-suppressed").innerText()).contains("minder dan 3 behandelaren");
				assertThat(page.locator("#completeness td.low").count()).isPositive();
				// The totals are the programme's, never a sum of suppressed months.
				assertThat(page.locator("#total-consults").innerText()).matches("[1-9][0-9.]*");
				assertThat(page.locator("#total-minutes").innerText()).matches("[1-9][0-9.]*");
				// No single month can be shown programme-wide: the table goes by quarter.
				assertThat(page.locator("#table-title").innerText()).isEqualTo("Per organisatie en kwartaal");
				assertThat(page.locator("#table tbody td.suppressed").count())
					.isLessThan(page.locator("#table tbody tr").count());
				// A chart is empty only when complementary suppression takes all its
				// figures,
				// and then it says so.
				for (String empty : page.locator(".charts .empty:visible").allInnerTexts()) {
					assertThat(empty).startsWith("Deze cijfers zijn onderdrukt: samen met de andere overzichten");
				}
				assertThat(page.locator(".charts canvas:visible").count()).isGreaterThanOrEqualTo(2);
				// Nothing wider than the screen but the tables' own scroll boxes.
				assertThat((Number) page.evaluate("document.documentElement.scrollWidth"))
					.satisfies((w) -> assertThat(w.intValue()).isLessThanOrEqualTo(size[0]));
				String name = "programme-demo-" + size[0] + "x" + size[1];
				page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
				page.screenshot(
						new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-full.png")).setFullPage(true));
				page.context().close();
			}
			// A period with nothing in it: the charts say why they are empty.
			Page empty = browsers.page(1366, 768);
			empty.navigate(url);
			empty.waitForSelector("body[data-loaded=true]");
			empty.fill("#from", "2020-01-01");
			empty.fill("#to", "2020-03-31");
			empty.evaluate("document.body.dataset.loaded = 'false'");
			empty.click("#filters button[type=submit]");
			empty.waitForSelector("body[data-loaded=true]");
			assertThat(empty.locator(".charts .empty:visible").count()).isEqualTo(4);
			assertThat(empty.locator(".charts .empty").first().innerText()).contains("Geen consulten in deze periode");
			empty.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("programme-demo-empty-period.png"))
				.setFullPage(true));
		}
	}

	private Map<String, Long> figures() {
		Map<String, Long> figures = new java.util.LinkedHashMap<>();
		figures.put("consults", count("SELECT COUNT(*) FROM consult"));
		figures.put("ended", count("SELECT COUNT(*) FROM consult WHERE state = 'ENDED'"));
		figures.put("outcomes", count("SELECT COUNT(DISTINCT consult_id) FROM consult_outcome"));
		figures.put("ledgerMinutes", count("SELECT SUM(minutes) FROM ledger_entry"));
		figures.put("lost", count("SELECT COUNT(*) FROM ledger_entry WHERE entry_kind = 'LOST'"));
		figures.put("cellMinutes", count("SELECT SUM(travel + handover + lost) FROM report_cell"));
		figures.put("cellConsults", count("SELECT SUM(consults) FROM report_cell"));
		figures.put("cellOutcomes", count("SELECT SUM(outcomes) FROM report_cell"));
		figures.put("audit", count("SELECT COUNT(*) FROM audit_event"));
		return figures;
	}

	private long count(String sql) {
		Long n = this.db.sql(sql).map((row) -> ((Number) row.get(0)).longValue()).one().block();
		return (n != null) ? n : 0L;
	}

	private String lastCompleteQuarter() {
		LocalDate quarterStart = this.today.withDayOfMonth(1).minusMonths((this.today.getMonthValue() - 1) % 3);
		LocalDate last = quarterStart.minusDays(1);
		return last.getYear() + "-Q" + ((last.getMonthValue() - 1) / 3 + 1);
	}

	private JsonNode report(String token, String groupBy) {
		return this.api.get(
				"/api/v1/reports/time-saved?from=" + this.yearAgo + "&to=" + this.today + "&groupBy=" + groupBy, token,
				HttpStatus.OK);
	}

	private static JsonNode row(JsonNode matrix, String institutionId) {
		List<JsonNode> rows = new ArrayList<>();
		matrix.get("rows").forEach(rows::add);
		return rows.stream()
			.filter((r) -> r.get("institutionId").asString().equals(institutionId))
			.findFirst()
			.orElseThrow();
	}

}
