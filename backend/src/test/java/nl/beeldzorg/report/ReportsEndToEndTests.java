package nl.beeldzorg.report;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.support.DemoApplicationTests;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outcomes to reports end to end: figures per institution, scoping, programme-wide
 * suppression, CSV and Excel parsed back and compared with the JSON, the capacity matrix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReportsEndToEndTests extends DemoApplicationTests {

	static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

	LocalDate today = LocalDate.now(ZoneId.of("Europe/Amsterdam"));

	/**
	 * Three zga consultants (SO, SO, BA) and one at Atlant each do a consult with an
	 * outcome.
	 */
	@BeforeAll
	void consults() {
		client();
		String anna = token("nurse.anna");
		consult(anna, "so.sophie", "zga-de-sprengel", "SO", "PHYSICAL_VISIT", 10);
		consult(anna, "so.lotte", "zga-de-sprengel", "SO", "PHONE_CALL", null);
		consult(anna, "ba.bas", "zga-de-sprengel", "BA", "PHYSICAL_VISIT", 20);
		consult(token("nurse.bram"), "so.daan", "atlant-de-boskamp", "SO", "PHYSICAL_VISIT", 5);
		// Ended, outcome never recorded: Atlant's savings are undercounted.
		this.api.connectedAndEnded(token("nurse.bram"), token("so.daan"), this.api.userId("so.daan"),
				"atlant-de-boskamp", "SO");
	}

	@Test
	void programmeSeesEveryInstitutionWithSmallCellsSuppressed() {
		JsonNode report = report(token("programme.pim"), "institution");
		JsonNode atlant = row(report, "institutionId", "atlant");
		assertThat(atlant.get("institutionName").asString()).isEqualTo("Atlant");
		assertThat(atlant.get("suppressed").asBoolean()).isTrue();
		assertThat(atlant.get("suppressedBecause").asString()).isEqualTo("few-consultants");
		assertThat(atlant.get("minutesSaved").isNull()).isTrue();
		assertThat(atlant.get("outcomeCompleteness").isNull()).isTrue();
		// zga rests on three consultants, but the totals minus zga would be Atlant's one:
		// zga is suppressed complementarily and the totals stay.
		JsonNode zga = row(report, "institutionId", "zga");
		assertThat(zga.get("institutionName").asString()).isEqualTo("Zorggroep Apeldoorn");
		assertThat(zga.get("suppressed").asBoolean()).isTrue();
		assertThat(zga.get("suppressedBecause").asString()).isEqualTo("complementary");
		assertThat(zga.get("consults").isNull()).isTrue();
		JsonNode totals = report.get("totals");
		assertThat(totals.get("suppressed").asBoolean()).isFalse();
		assertThat(totals.get("consults").asInt()).isEqualTo(3 + 2);
		assertThat(totals.get("minutesSaved").asInt()).isEqualTo(93 + 2 * 9 + 5);
		assertThat(report.get("assumptions").get("hoursPerFtePerYear").asInt()).isEqualTo(1872);
		// zga's own figures, as its institution reads them:
		// sophie: 24 travel + 10; lotte: 15 (norm); bas: 24 travel + 20.
		JsonNode own = row(report(token("admin.ada"), "institution"), "institutionId", "zga");
		assertThat(own.get("suppressed").asBoolean()).isFalse();
		assertThat(own.get("consults").asInt()).isEqualTo(3);
		assertThat(own.get("travelMinutesSaved").asInt()).isEqualTo(48);
		assertThat(own.get("handoverMinutesSaved").asInt()).isEqualTo(45);
		assertThat(own.get("minutesSaved").asInt()).isEqualTo(93);
		assertThat(own.get("fteEquivalent").asDouble()).isPositive();
		assertThat(own.get("consultsWithOutcome").asInt()).isEqualTo(3);
		assertThat(own.get("outcomeCompleteness").asDouble()).isEqualTo(1.0);
	}

	@Test
	void othersSeeOnlyTheirOwnInstitutionUnsuppressed() {
		JsonNode zga = report(token("admin.ada"), "institution,month");
		assertThat(zga.get("rows").findValuesAsString("institutionId")).containsOnly("zga");
		JsonNode atlant = report(token("nurse.bram"), "institution");
		assertThat(atlant.get("rows")).hasSize(1);
		JsonNode row = atlant.get("rows").get(0);
		assertThat(row.get("institutionId").asString()).isEqualTo("atlant");
		assertThat(row.get("suppressed").asBoolean()).isFalse();
		assertThat(row.get("minutesSaved").asInt()).isEqualTo(2 * 9 + 5);
		// Two ended consults, one outcome: half the savings may be missing.
		assertThat(row.get("consults").asInt()).isEqualTo(2);
		assertThat(row.get("consultsWithOutcome").asInt()).isEqualTo(1);
		assertThat(row.get("outcomeCompleteness").asDouble()).isEqualTo(0.5);
		this.http.get()
			.uri("/api/v1/reports/time-saved?from={f}&to={t}", this.today, this.today)
			.headers((h) -> h.setBearerAuth(token("ha.huib")))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void csvAndExcelCarryTheSameRowsAsTheJson() throws Exception {
		String admin = token("admin.ada");
		JsonNode json = report(admin, "discipline,kind");
		byte[] csv = download(admin, "discipline,kind", "text/csv");
		List<CSVRecord> records;
		try (CSVParser parser = CSVParser.parse(
				new InputStreamReader(new ByteArrayInputStream(csv), StandardCharsets.UTF_8),
				CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
			records = parser.getRecords();
			assertThat(parser.getHeaderNames()).startsWith("Discipline", "Soort consult", "Consulten");
			assertThat(parser.getHeaderNames()).contains("Uitkomst vastgelegd (aandeel)", "Totaal bespaard (min)");
		}
		byte[] xlsx = download(admin, "discipline,kind", XLSX);
		List<List<String>> sheet = new ArrayList<>();
		try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
			Sheet first = workbook.getSheetAt(0);
			for (Row row : first) {
				List<String> cells = new ArrayList<>();
				for (int c = 0; c < row.getLastCellNum(); c++) {
					cells.add(text(row.getCell(c)));
				}
				sheet.add(cells);
			}
			assertThat(workbook.getSheet("Aannames")).isNotNull();
		}
		assertThat(records).hasSize(json.get("rows").size());
		assertThat(sheet).hasSize(json.get("rows").size() + 1);
		for (int i = 0; i < records.size(); i++) {
			JsonNode row = json.get("rows").get(i);
			CSVRecord record = records.get(i);
			List<String> excel = sheet.get(i + 1);
			for (String field : List.of("discipline", "kind", "consults", "travelMinutesSaved", "handoverMinutesSaved",
					"minutesSaved", "fteEquivalent")) {
				String expected = row.get(field).asString();
				assertThat(number(record.get(ExportLanguage.NL.header(field)))).as(field).isEqualTo(number(expected));
				int column = sheet.get(0).indexOf(ExportLanguage.NL.header(field));
				assertThat(number(excel.get(column))).as(field).isEqualTo(number(expected));
			}
		}
	}

	@Test
	void capacityMatrixShowsFtePerDisciplineWithChange() {
		String quarter = this.today.getYear() + "-Q" + ((this.today.getMonthValue() - 1) / 3 + 1);
		JsonNode own = this.http.get()
			.uri("/api/v1/reports/capacity-matrix?period={p}", quarter)
			.headers((h) -> h.setBearerAuth(token("admin.ada")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(own.get("period").asString()).isEqualTo(quarter);
		assertThat(own.get("disciplines").toString()).isEqualTo("[\"SO\",\"BA\",\"VS\",\"PA\",\"GZP\"]");
		assertThat(own.get("rows")).hasSize(1);
		JsonNode so = own.get("rows").get(0).get("cells").get("SO");
		assertThat(so.get("fteEquivalent").asDouble()).isPositive();
		assertThat(so.get("previousFteEquivalent").asDouble()).isZero();
		assertThat(so.get("changePercent").isNull()).isTrue();
		assertThat(own.get("rows").get(0).get("cells").get("GZP").get("fteEquivalent").asDouble()).isZero();

		JsonNode programme = this.http.get()
			.uri("/api/v1/reports/capacity-matrix?period={p}", quarter)
			.headers((h) -> h.setBearerAuth(token("programme.pim")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(programme.get("rows").findValuesAsString("institutionId")).contains("zga", "atlant");
		assertThat(programme.get("rows").get(0).get("cells").get("SO").get("suppressed").asBoolean()).isTrue();
		this.http.get()
			.uri("/api/v1/reports/capacity-matrix?period=2026-Q5")
			.headers((h) -> h.setBearerAuth(token("admin.ada")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("request.invalid");
	}

	@Test
	void connectionQualityShowsHowOftenMediaConnected() {
		JsonNode quality = this.http.get()
			.uri("/api/v1/reports/connection-quality?from={f}&to={t}&groupBy=institution", this.today.minusDays(1),
					this.today.plusDays(1))
			.headers((h) -> h.setBearerAuth(token("admin.ada")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		JsonNode zga = row(quality, "institutionId", "zga");
		assertThat(zga.get("accepted").asInt()).isEqualTo(3);
		assertThat(zga.get("connected").asInt()).isEqualTo(3);
		assertThat(zga.get("connectedShare").asDouble()).isEqualTo(1.0);
		assertThat(zga.get("medianSecondsToConnect").asDouble()).isBetween(0.0, 30.0);
		assertThat(zga.get("reconnects").asInt()).isZero();
		// Every party reported rttMs 40 and lossPct 0.5 (ApiClient.MEDIA_CONNECTED): the
		// medians lie in those values' buckets (30, 40] and (0.25, 0.5].
		assertThat(zga.get("medianRttMs").asDouble()).isBetween(30.0, 40.0);
		assertThat(zga.get("medianLossPct").asDouble()).isBetween(0.25, 0.5);
		assertThat(zga.get("relayShare").asDouble()).isZero();
		JsonNode programme = this.http.get()
			.uri("/api/v1/reports/connection-quality?from={f}&to={t}&groupBy=institution", this.today.minusDays(1),
					this.today.plusDays(1))
			.headers((h) -> h.setBearerAuth(token("programme.pim")))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(row(programme, "institutionId", "atlant").get("suppressed").asBoolean()).isTrue();
		// Atlant's one consultant: zga would give it away against another grouping.
		assertThat(row(programme, "institutionId", "zga").get("connected").isNull()).isTrue();
		assertThat(row(programme, "institutionId", "zga").get("suppressedBecause").asString())
			.isEqualTo("complementary");
	}

	@Test
	void downloadsHaveDutchHeadersUnlessEnglishIsAsked() throws Exception {
		String admin = token("admin.ada");
		List<String> dutch = csv(admin, "/api/v1/reports/time-saved?from={f}&to={t}&groupBy=institution&lang=nl")
			.get(0);
		assertThat(dutch).startsWith("Organisatie-id", "Organisatie", "Consulten", "Videominuten");
		List<String> english = csv(admin, "/api/v1/reports/time-saved?from={f}&to={t}&groupBy=institution&lang=en")
			.get(0);
		assertThat(english).startsWith("Institution id", "Institution", "Consults", "Video minutes");
		assertThat(csv(admin, "/api/v1/reports/outcomes?from={f}&to={t}").get(0)).startsWith("Afloop",
				"Zonder beeldzorg", "Consulten");
		assertThat(csv(admin, "/api/v1/reports/connection-quality?from={f}&to={t}").get(0)).contains("Organisatie-id");
		this.http.get()
			.uri("/api/v1/reports/time-saved?from={f}&to={t}&lang=fr", this.today, this.today)
			.headers((h) -> h.setBearerAuth(admin))
			.header("Accept", "text/csv")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("request.invalid");
	}

	@Test
	void suppressedFiguresReadOnderdruktInDownloadsNeverZero() throws Exception {
		List<List<String>> rows = csv(token("programme.pim"),
				"/api/v1/reports/time-saved?from={f}&to={t}&groupBy=institution");
		List<String> header = rows.get(0);
		List<String> atlant = rows.stream().filter((r) -> r.get(0).equals("atlant")).findFirst().orElseThrow();
		assertThat(atlant.get(1)).isEqualTo("Atlant");
		for (String field : TimeSavedReport.FIGURES) {
			String value = atlant.get(header.indexOf(ExportLanguage.NL.header(field)));
			if (field.equals("suppressed")) {
				assertThat(value).startsWith("ja: rust op minder dan 3 behandelaren");
			}
			else {
				assertThat(value).as(field).isEqualTo("onderdrukt");
			}
		}
		List<String> zga = rows.stream().filter((r) -> r.get(0).equals("zga")).findFirst().orElseThrow();
		assertThat(zga.get(header.indexOf("Consulten"))).isEqualTo("onderdrukt");
		assertThat(zga.get(header.indexOf("Onderdrukt"))).startsWith("ja: aanvullend");
	}

	@Test
	void capacityMatrixDownloadsInTheProgrammesShape() throws Exception {
		String quarter = this.today.getYear() + "-Q" + ((this.today.getMonthValue() - 1) / 3 + 1);
		String path = "/api/v1/reports/capacity-matrix?period=" + quarter;
		List<List<String>> rows = csv(token("programme.pim"), path);
		assertThat(rows.get(0)).containsExactly("Organisatie-id", "DMZ-capaciteit " + quarter, "SO # fte", "SO % groei",
				"BA # fte", "BA % groei", "VS # fte", "VS % groei", "PA # fte", "PA % groei", "GZP # fte",
				"GZP % groei", "Toelichting");
		List<String> zga = rows.stream().filter((r) -> r.get(0).equals("zga")).findFirst().orElseThrow();
		assertThat(zga.get(1)).isEqualTo("Zorggroep Apeldoorn");
		// Two SOs: suppressed programme-wide, and said so, never 0 or empty.
		assertThat(zga.subList(2, 4)).containsExactly("onderdrukt", "onderdrukt");
		assertThat(zga.get(12)).startsWith("SO").contains("onderdrukt, minder dan 3 behandelaren");
		List<String> own = csv(token("admin.ada"), path).get(1);
		assertThat(Double.parseDouble(own.get(2))).isPositive();
		assertThat(own).doesNotContain("onderdrukt");

		byte[] xlsx = this.http.get()
			.uri(path)
			.headers((h) -> h.setBearerAuth(token("programme.pim")))
			.header("Accept", XLSX)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
			Sheet sheet = workbook.getSheet("Capaciteitsmatrix");
			assertThat(text(sheet.getRow(0).getCell(0))).isEqualTo("DMZ-capaciteit " + quarter);
			List<String> disciplines = new ArrayList<>();
			for (int c = 1; c <= 10; c += 2) {
				disciplines.add(text(sheet.getRow(0).getCell(c)));
				assertThat(text(sheet.getRow(1).getCell(c))).isEqualTo("# fte");
				assertThat(text(sheet.getRow(1).getCell(c + 1))).isEqualTo("% groei");
			}
			assertThat(disciplines).containsExactly("SO", "BA", "VS", "PA", "GZP");
			assertThat(sheet.getMergedRegions()).anyMatch((region) -> region.getFirstRow() == 0
					&& region.getFirstColumn() == 1 && region.getLastColumn() == 2);
			List<String> names = new ArrayList<>();
			for (int r = 2; r <= sheet.getLastRowNum() && sheet.getRow(r) != null
					&& !text(sheet.getRow(r).getCell(0)).isEmpty(); r++) {
				names.add(text(sheet.getRow(r).getCell(0)));
				if (text(sheet.getRow(r).getCell(0)).equals("Zorggroep Apeldoorn")) {
					assertThat(sheet.getRow(r).getCell(1).getCellType()).isEqualTo(CellType.STRING);
					assertThat(text(sheet.getRow(r).getCell(1))).isEqualTo("onderdrukt");
				}
			}
			assertThat(names).contains("Zorggroep Apeldoorn", "Atlant").doesNotContain("zga", "atlant");
			assertThat(workbook.getSheet("Aannames").getRow(0).getCell(1).getStringCellValue())
				.contains("minder dan 3");
		}
		List<List<String>> english = csv(token("programme.pim"), path + "&lang=en");
		assertThat(english.get(0)).startsWith("Institution id", "DMZ capacity " + quarter, "SO # FTE", "SO % change");
	}

	private List<List<String>> csv(String token, String uri) throws Exception {
		byte[] body = this.http.get()
			.uri(uri, this.today.minusDays(1), this.today.plusDays(1))
			.headers((h) -> h.setBearerAuth(token))
			.header("Accept", "text/csv")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		List<List<String>> rows = new ArrayList<>();
		try (CSVParser parser = CSVParser
			.parse(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8), CSVFormat.DEFAULT)) {
			parser.forEach((record) -> rows.add(record.toList()));
		}
		return rows;
	}

	@Test
	void badGroupingAndPeriodAreRefused() {
		this.http.get()
			.uri("/api/v1/reports/time-saved?from={f}&to={t}&groupBy=patient", this.today, this.today)
			.headers((h) -> h.setBearerAuth(token("admin.ada")))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("request.invalid");
		this.http.get()
			.uri("/api/v1/reports/time-saved?from={f}&to={t}", this.today, this.today.minusDays(1))
			.headers((h) -> h.setBearerAuth(token("admin.ada")))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private JsonNode report(String token, String groupBy) {
		return this.http.get()
			.uri("/api/v1/reports/time-saved?from={f}&to={t}&groupBy={g}", this.today.minusDays(1),
					this.today.plusDays(1), groupBy)
			.headers((h) -> h.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
	}

	private byte[] download(String token, String groupBy, String type) {
		return this.http.get()
			.uri("/api/v1/reports/time-saved?from={f}&to={t}&groupBy={g}", this.today.minusDays(1),
					this.today.plusDays(1), groupBy)
			.headers((h) -> h.setBearerAuth(token))
			.header("Accept", type)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(type)
			.expectBody()
			.returnResult()
			.getResponseBody();
	}

	private static JsonNode row(JsonNode report, String field, String value) {
		for (JsonNode row : report.get("rows")) {
			if (row.get(field).asString().equals(value)) {
				return row;
			}
		}
		throw new AssertionError("No row " + field + "=" + value + " in " + report);
	}

	private static String text(Cell cell) {
		if (cell == null) {
			return "";
		}
		return (cell.getCellType() == CellType.NUMERIC) ? Double.toString(cell.getNumericCellValue())
				: (cell.getCellType() == CellType.BOOLEAN) ? Boolean.toString(cell.getBooleanCellValue())
						: cell.getStringCellValue();
	}

	private static Object number(String text) {
		try {
			return Double.parseDouble(text);
		}
		catch (NumberFormatException ex) {
			return text;
		}
	}

	private void consult(String nurse, String consultant, String location, String discipline, String withoutVideo,
			Integer handover) {
		String consultantToken = token(consultant);
		String id = this.api.connectedAndEnded(nurse, consultantToken, this.api.userId(consultant), location,
				discipline);
		Map<String, Object> outcome = new java.util.HashMap<>(
				Map.of("resolution", "RESOLVED_REMOTELY", "withoutVideo", withoutVideo));
		if (handover != null) {
			outcome.put("handoverMinutes", handover);
		}
		this.api.put("/api/v1/consults/" + id + "/outcome", consultantToken, outcome, HttpStatus.OK);
	}

	private String token(String username) {
		return this.api.token(username);
	}

}
