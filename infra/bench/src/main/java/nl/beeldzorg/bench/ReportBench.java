package nl.beeldzorg.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import tools.jackson.databind.json.JsonMapper;

/**
 * The report benchmark: fills a fresh PostgreSQL database with a generated programme year
 * (1,000,000 consults by default) through the backend's own migrations plus
 * {@code generate-year.sql}, then times the time-saved report, the capacity matrix and
 * the connection-quality report over HTTP as the programme office would ask for them.
 *
 * <pre>
 * java -jar bench.jar reports [--consults 1000000] [--runs 20] [--backend-jar PATH]
 * </pre>
 */
final class ReportBench {

	private static final String SERVER = DemoOnPostgres.SERVER;

	private static final String DATABASE = "beeldzorg_report_bench";

	private ReportBench() {
	}

	static void main(List<String> args) throws Exception {
		int consults = 1_000_000;
		int runs = 20;
		String backendJar = "backend/target/backend-0.1.0-SNAPSHOT.jar";
		for (int i = 0; i < args.size(); i++) {
			switch (args.get(i)) {
				case "--consults" -> consults = Integer.parseInt(args.get(++i));
				case "--runs" -> runs = Integer.parseInt(args.get(++i));
				case "--backend-jar" -> backendJar = args.get(++i);
				default -> throw new IllegalArgumentException("unknown option " + args.get(i));
			}
		}
		try (DemoOnPostgres backend = DemoOnPostgres.start(DATABASE, "-Xmx2g", backendJar)) {
			String base = backend.base();
			long t0 = System.nanoTime();
			generate(consults, backendJar);
			System.out.printf(Locale.ROOT, "generated %,d consults with outcomes and ledger in %.0f s%n", consults,
					(System.nanoTime() - t0) / 1e9);
			counts();
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			String token = JsonMapper.builder()
				.build()
				.readTree(send(http,
						HttpRequest.newBuilder(URI.create(base + "/demo/token"))
							.header("Content-Type", "application/json")
							.POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"programme.pim\"}"))
							.build()))
				.get("accessToken")
				.asString();
			LocalDate from = LocalDate.of(2025, 10, 1);
			LocalDate to = from.plusMonths(12).minusDays(1);
			List<String[]> calls = List.of(
					new String[] { "time-saved institution,month (12 months)",
							"/api/v1/reports/time-saved?from=" + from + "&to=" + to + "&groupBy=institution,month" },
					new String[] { "time-saved discipline,quarter (12 months)",
							"/api/v1/reports/time-saved?from=" + from + "&to=" + to + "&groupBy=discipline,quarter" },
					new String[] { "capacity matrix 2026-Q1", "/api/v1/reports/capacity-matrix?period=2026-Q1" },
					new String[] { "connection quality institution,month",
							"/api/v1/reports/connection-quality?from=" + from + "&to=" + to
									+ "&groupBy=institution,month" },
					new String[] { "connection quality discipline,quarter", "/api/v1/reports/connection-quality?from="
							+ from + "&to=" + to + "&groupBy=discipline,quarter" });
			System.out.printf(Locale.ROOT, "%n%-42s %8s %8s %8s %8s  %s%n", "report (programme office, all 7)",
					"median", "p90", "min", "max", "target median <= 300 ms");
			for (String[] call : calls) {
				HttpRequest request = HttpRequest.newBuilder(URI.create(base + call[1]))
					.header("Authorization", "Bearer " + token)
					.timeout(Duration.ofMinutes(2))
					.build();
				for (int i = 0; i < 3; i++) {
					send(http, request);
				}
				long[] millis = new long[runs];
				for (int i = 0; i < runs; i++) {
					long start = System.nanoTime();
					send(http, request);
					millis[i] = (System.nanoTime() - start) / 1_000_000;
				}
				Arrays.sort(millis);
				long median = millis[runs / 2];
				System.out.printf(Locale.ROOT, "%-42s %6d ms %6d ms %6d ms %6d ms  %s%n", call[0], median,
						millis[(int) (runs * 0.9)], millis[0], millis[runs - 1], (median <= 300) ? "PASS" : "MISS");
			}
		}
	}

	private static void generate(int consults, String backendJar) throws Exception {
		String sql;
		try (InputStream in = ReportBench.class.getResourceAsStream("/generate-year.sql")) {
			sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(":consults",
					Integer.toString(consults));
		}
		try (Connection connection = DriverManager.getConnection(SERVER + DATABASE, "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
			statement.execute("DELETE FROM report_cell");
			statement.execute(rebuild(backendJar, "V3__report_cells.sql", "INSERT INTO report_cell"));
			statement.execute("DELETE FROM media_cell");
			statement.execute(rebuild(backendJar, "V11__media_state.sql", "INSERT INTO media_cell"));
			statement.execute("VACUUM ANALYZE");
		}
	}

	/**
	 * The rebuild statement of one of the backend's migrations, read from the backend
	 * jar.
	 */
	private static String rebuild(String backendJar, String migration, String statement) throws Exception {
		try (ZipFile jar = new ZipFile(backendJar)) {
			ZipEntry entry = jar.getEntry("BOOT-INF/classes/db/migration/" + migration);
			if (entry == null) {
				throw new IllegalStateException("No migration " + migration + " in " + backendJar);
			}
			String text = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
			return text.substring(text.indexOf(statement));
		}
	}

	private static void counts() throws Exception {
		List<String> parts = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(SERVER + DATABASE, "postgres", "");
				Statement statement = connection.createStatement()) {
			for (String table : List.of("consult", "consult_outcome", "ledger_entry", "report_cell", "media_party",
					"media_sample", "media_cell", "institution")) {
				try (ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
					result.next();
					parts.add(table + " " + String.format(Locale.ROOT, "%,d", result.getLong(1)));
				}
			}
		}
		System.out.println("rows: " + String.join(", ", parts));
	}

	private static String send(HttpClient http, HttpRequest request) throws Exception {
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(response.statusCode() + " " + response.body());
		}
		return response.body();
	}

}
