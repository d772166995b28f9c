package nl.beeldzorg.system;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.TestPostgres;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Formula injection: institutions, disciplines, kinds, outcomes and IMOZ declarations are
 * seeded with names that a spreadsheet would run (written straight into the database, as
 * an older import or another route could have), and every CSV export the OpenAPI document
 * lists is downloaded, as the programme office and as an institution's admin, in Dutch
 * and English. Every cell is scanned: none may start with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return unless it is neutralised (a single
 * quote before it, the cell quoted) or a number. The spreadsheet downloads hold no
 * formula cells.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsvExportCellScanTests extends DemoApplicationTests {

	static final String database = TestPostgres.createDatabase("beeldzorg_csv_scan");

	static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

	static final List<String> HOSTILE = List.of("=HYPERLINK(\"http://evil.example\",\"klik\")", "+31-6-1234",
			"-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "\uFF1D1+1");

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.database.url", () -> database);
		registry.add("beeldzorg.database.username", () -> TestPostgres.USER);
	}

	@AfterAll
	static void drop() {
		TestPostgres.dropDatabase(database);
	}

	final YearMonth month = YearMonth.now(ZoneId.of("Europe/Amsterdam"));

	@BeforeAll
	void seed() throws Exception {
		client();
		LocalDate now = this.month.atDay(1);
		LocalDate before = this.month.minusMonths(1).atDay(1);
		try (Connection db = DriverManager.getConnection(database, TestPostgres.USER, "");
				Statement statement = db.createStatement()) {
			try (PreparedStatement name = db.prepareStatement("UPDATE institution SET name = ? WHERE id = ?")) {
				name.setString(1, HOSTILE.get(0));
				name.setString(2, "zga");
				name.executeUpdate();
				name.setString(1, HOSTILE.get(3));
				name.setString(2, "atlant");
				name.executeUpdate();
			}
			try (PreparedStatement institution = db
				.prepareStatement("INSERT INTO institution (id, name) VALUES (?, ?)")) {
				institution.setString(1, "-evil");
				institution.setString(2, HOSTILE.get(4));
				institution.executeUpdate();
			}
			try (PreparedStatement cell = db.prepareStatement("INSERT INTO report_cell (consult_day, institution_id,"
					+ " discipline, consult_kind, consultant_key, consults, video_seconds, travel, handover, lost,"
					+ " outcomes) VALUES (?, ?, ?, ?, ?, ?, 600, ?, 15, -15, 0)");
					PreparedStatement media = db.prepareStatement("INSERT INTO media_cell (consult_day, institution_id,"
							+ " discipline, consult_kind, accepted, connected) VALUES (?, ?, ?, ?, 3, 2)")) {
				int day = 1;
				for (String institution : List.of("zga", "atlant", "-evil")) {
					for (String discipline : List.of("SO", HOSTILE.get(1), HOSTILE.get(6))) {
						for (String consultant : List.of("c1", "c2", "c3", "=c4")) {
							for (LocalDate first : List.of(before, now)) {
								cell.setObject(1, first.plusDays(day % 20));
								cell.setString(2, institution);
								cell.setString(3, discipline);
								cell.setString(4, "-2+3+A1");
								cell.setString(5, consultant);
								cell.setLong(6, 2);
								// Less saved this month than last: the matrix shows a
								// negative change, which must stay a number.
								cell.setLong(7, first.equals(before) ? 60 : 20);
								cell.addBatch();
							}
						}
						for (LocalDate first : List.of(before, now)) {
							media.setObject(1, first.plusDays(day));
							media.setString(2, institution);
							media.setString(3, discipline);
							media.setString(4, HOSTILE.get(5));
							media.addBatch();
						}
						day++;
					}
				}
				cell.executeBatch();
				media.executeBatch();
			}
			try (PreparedStatement consult = db.prepareStatement("INSERT INTO consult (id, kind, state, version,"
					+ " client_ref, urgency, requested_discipline, requested_by, requested_by_discipline, created_at,"
					+ " consult_day, consultant_id, institution_id) VALUES (?, 'BEDSIDE', 'ENDED', 1, 'T-1', 'NORMAL',"
					+ " 'SO', 'seed', 'NURSE', now(), ?, ?, 'zga')");
					PreparedStatement outcome = db.prepareStatement("INSERT INTO consult_outcome (consult_id, version,"
							+ " resolution, without_video, recorded_by, recorded_at) VALUES (?, 1, ?, ?, 'seed', now())")) {
				for (String consultant : List.of("c1", "c2", "c3", "c4")) {
					UUID id = UUID.randomUUID();
					consult.setObject(1, id);
					consult.setObject(2, now);
					consult.setString(3, consultant);
					consult.executeUpdate();
					outcome.setObject(1, id);
					outcome.setString(2, HOSTILE.get(0).substring(0, 30));
					outcome.setString(3, HOSTILE.get(3).substring(0, 20));
					outcome.executeUpdate();
				}
			}
			try (PreparedStatement question = db.prepareStatement("INSERT INTO imoz_question (id, state, version,"
					+ " practice_id, asked_by, client_ref, home_area, question, due_at, claimed_by, claimed_at, answer,"
					+ " answered_at, answered_by_institution, billing_code, created_at) VALUES (?, 'ANSWERED', 3, ?, ?,"
					+ " 'P-1', '7331', 'vraag', now(), ?, now(), 'antwoord', now(), 'zga', 'IMOZ-SCHRIFTELIJK', now())")) {
				question.setObject(1, UUID.randomUUID());
				question.setString(2, HOSTILE.get(0).substring(0, 40));
				question.setString(3, HOSTILE.get(1));
				question.setString(4, HOSTILE.get(2));
				question.executeUpdate();
			}
			statement.execute("SELECT 1");
		}
	}

	/** How to call each CSV export; a new one must be added here, or the scan fails. */
	Map<String, String> queries() {
		String from = this.month.minusMonths(1).atDay(1).toString();
		String to = this.month.atEndOfMonth().toString();
		String range = "?from=" + from + "&to=" + to;
		return Map.of("/api/v1/reports/time-saved", range + "&groupBy=institution,discipline,kind,month",
				"/api/v1/reports/connection-quality", range + "&groupBy=institution,discipline,kind",
				"/api/v1/reports/outcomes", range, "/api/v1/reports/capacity-matrix", "?period=" + this.month,
				"/api/v1/imoz/billing", range);
	}

	@Test
	void noCellOfAnyCsvExportStartsLikeAFormula() throws Exception {
		JsonNode docs = this.api.get("/v3/api-docs", this.api.token("admin.ada"), HttpStatus.OK);
		List<String> exports = new ArrayList<>();
		docs.get("paths").properties().forEach((path) -> {
			JsonNode get = path.getValue().get("get");
			if (get != null && get.toString().contains("\"text/csv\"")) {
				exports.add(path.getKey());
			}
		});
		assertThat(exports).as("CSV exports in the OpenAPI document").isNotEmpty();
		assertThat(queries().keySet()).as("every CSV export is scanned").containsAll(exports);
		int hostileSeen = 0;
		int negativeNumbers = 0;
		for (String export : exports) {
			for (String user : List.of("programme.pim", "admin.ada")) {
				for (String lang : List.of("nl", "en")) {
					String query = queries().get(export) + "&lang=" + lang;
					String csv = download(export + query, user, "text/csv");
					List<CSVRecord> records = CSVFormat.DEFAULT.builder()
						.get()
						.parse(new StringReader(csv))
						.getRecords();
					assertThat(records).as(export).hasSizeGreaterThan(1);
					for (CSVRecord record : records) {
						for (String cell : record) {
							if (SafeCsv.startsLikeFormula(cell) && !cell.matches("-\\d+(\\.\\d+)?")) {
								fail("%s as %s: cell %s starts like a formula", export, user, cell);
							}
							if (cell.startsWith("'") && SafeCsv.startsLikeFormula(cell.substring(1))) {
								hostileSeen++;
								// Quoted in the file, so no spreadsheet splits or trims
								// it.
								assertThat(csv).contains("\"" + cell.replace("\"", "\"\""));
							}
							if (cell.matches("-\\d+(\\.\\d+)?")) {
								negativeNumbers++;
								// A number in a numeric column: written bare, never
								// quoted.
								assertThat(csv)
									.containsPattern("(^|,)" + java.util.regex.Pattern.quote(cell) + "(,|\\r\\n)");
							}
						}
					}
				}
			}
		}
		assertThat(hostileSeen).as("the hostile names reached the exports, neutralised").isGreaterThan(10);
		assertThat(negativeNumbers).as("negative figures stayed numbers").isPositive();
	}

	@Test
	void spreadsheetDownloadsHoldNoFormulas() throws Exception {
		for (String export : List.of("/api/v1/reports/time-saved", "/api/v1/reports/connection-quality",
				"/api/v1/reports/outcomes", "/api/v1/reports/capacity-matrix")) {
			byte[] xlsx = this.api.http()
				.get()
				.uri(export + queries().get(export))
				.headers((h) -> h.setBearerAuth(this.api.token("programme.pim")))
				.header("Accept", XLSX)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.returnResult()
				.getResponseBody();
			int texts = 0;
			try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx))) {
				for (Sheet sheet : workbook) {
					for (Row row : sheet) {
						for (Cell cell : row) {
							assertThat(cell.getCellType()).as(export).isNotEqualTo(CellType.FORMULA);
							if (cell.getCellType() == CellType.STRING && HOSTILE.stream()
								.anyMatch((h) -> cell.getStringCellValue().contains(h.substring(1)))) {
								texts++;
							}
						}
					}
				}
			}
			assertThat(texts).as(export + ": hostile names are there, as text").isPositive();
		}
	}

	@Test
	void billingExportRefusesBadDatesAndLongPeriodsWithStableCodes() {
		String ada = this.api.token("admin.ada");
		problem("/api/v1/imoz/billing?from=2026-02-30&to=2026-03-01", ada, "from", "request.field-format");
		problem("/api/v1/imoz/billing?from=2026-01-01&to=2026-13-01", ada, "to", "request.field-format");
		problem("/api/v1/imoz/billing?from=+999999999-12-31&to=+999999999-12-31", ada, "from",
				"request.field-out-of-range");
		problem("/api/v1/imoz/billing?from=0001-01-01&to=0001-01-02", ada, "from", "request.field-out-of-range");
		problem("/api/v1/imoz/billing?from=2026-01-01&to=9999-12-31", ada, "to", "request.field-out-of-range");
		problem("/api/v1/imoz/billing?from=2026-03-01&to=2026-02-01", ada, "to", "request.ends-before-start");
		problem("/api/v1/imoz/billing?from=2024-01-01&to=2025-01-01", ada, "to", "imoz.billing-period-too-long");
		problem("/api/v1/imoz/billing?from=2026-01-01&to=2027-12-31", ada, "to", "imoz.billing-period-too-long");
		// 366 days (a leap year) is the most.
		assertThat(download("/api/v1/imoz/billing?from=2024-01-01&to=2024-12-31", "admin.ada", "text/csv"))
			.startsWith("questionId,");
	}

	private void problem(String uri, String token, String field, String code) {
		JsonNode problem = this.api.http()
			.get()
			.uri(java.net.URI.create("http://127.0.0.1:" + this.port + uri.replace("+", "%2B")))
			.headers((h) -> h.setBearerAuth(token))
			.header("Accept", "text/csv")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(JsonNode.class)
			.returnResult()
			.getResponseBody();
		assertThat(problem.get("code").asString()).as(uri).isEqualTo("request.invalid");
		assertThat(problem.get("errors").get(0).get("field").asString()).as(uri).isEqualTo(field);
		assertThat(problem.get("errors").get(0).get("code").asString()).as(uri).isEqualTo(code);
	}

	private String download(String uri, String user, String accept) {
		byte[] body = this.api.http()
			.get()
			.uri(uri)
			.headers((h) -> h.setBearerAuth(this.api.token(user)))
			.header("Accept", accept)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		return new String(body, StandardCharsets.UTF_8);
	}

}
