package nl.beeldzorg.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import nl.beeldzorg.BeeldzorgApplication;
import nl.beeldzorg.support.ApiClient;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The documented backup and restore ({@code infra/backup/}) on the real PostgreSQL: a
 * database holding a programme year (demo history, with its audit trail) is dumped with
 * {@code backup.sh} while the application runs, restored with {@code restore.sh} into a
 * new database, and the application started on the copy gives the same reports and the
 * same audit verification; the restored audit trail is still append-only.
 */
class BackupAndRestoreTests {

	private static final String ORIGINAL = TestPostgres.createDatabase("beeldzorg_backup");

	private static final String RESTORED = TestPostgres.createDatabase("beeldzorg_restored");

	@AfterAll
	static void dropDatabases() {
		TestPostgres.dropDatabase(ORIGINAL);
		TestPostgres.dropDatabase(RESTORED);
	}

	@Test
	void aRestoredBackupGivesTheSameReportsAndTheSameAuditVerification(@TempDir Path dir) throws Exception {
		Path dump = dir.resolve("beeldzorg.dump");
		Map<String, JsonNode> before;
		try (ConfigurableApplicationContext node = node(ORIGINAL)) {
			before = answers(new ApiClient(port(node)));
			// Taken while the application runs, as an operator would.
			String out = script("backup.sh", ORIGINAL, dump);
			assertThat(out).contains("backup: wrote");
		}
		assertThat(before.get("audit").get("records").asLong()).as("the history left an audit trail")
			.isGreaterThan(100);
		assertThat(before.get("audit").get("firstBrokenSeq").isNull()).isTrue();
		assertThat(before.get("time-saved").get("rows")).isNotEmpty();

		assertThat(script("restore.sh", RESTORED, dump)).contains("restored into");
		try (ConfigurableApplicationContext node = node(RESTORED)) {
			Map<String, JsonNode> after = answers(new ApiClient(port(node)));
			for (String answer : before.keySet()) {
				assertThat(after.get(answer)).as(answer + " after the restore").isEqualTo(before.get(answer));
			}
		}
		try (Connection restored = DriverManager.getConnection(RESTORED, TestPostgres.USER, "");
				Statement statement = restored.createStatement()) {
			assertThatExceptionOfType(SQLException.class).as("the restored audit trail still refuses changes")
				.isThrownBy(() -> statement.executeUpdate(
						"UPDATE audit_event SET actor_id = 'x' WHERE seq = (SELECT MIN(seq) FROM audit_event)"));
		}
		assertThat(script("restore.sh", RESTORED, dump)).as("a second restore into a database that is not empty")
			.contains("is not empty");
	}

	private static Map<String, JsonNode> answers(ApiClient api) {
		String pim = api.token("programme.pim");
		LocalDate today = LocalDate.now(ZoneId.of("Europe/Amsterdam"));
		String range = "from=" + today.minusYears(1) + "&to=" + today;
		Map<String, JsonNode> answers = new LinkedHashMap<>();
		answers.put("time-saved",
				api.get("/api/v1/reports/time-saved?" + range + "&groupBy=institution,month", pim, HttpStatus.OK));
		answers.put("connection-quality", api.get("/api/v1/reports/connection-quality?" + range, pim, HttpStatus.OK));
		answers.put("outcomes", api.get("/api/v1/reports/outcomes?" + range, pim, HttpStatus.OK));
		answers.put("capacity-matrix",
				api.get("/api/v1/reports/capacity-matrix?period=" + today.getYear(), pim, HttpStatus.OK));
		answers.put("audit", api.get("/api/v1/audit/verification", api.token("admin.ada"), HttpStatus.OK));
		return answers;
	}

	/**
	 * Runs a script of {@code infra/backup/} with libpq's variables for a test database.
	 * @return what it printed (exit status 0 expected, except for a refused restore)
	 */
	private static String script(String name, String database, Path dump) throws Exception {
		String url = database.substring("jdbc:postgresql://".length());
		String hostPort = url.substring(0, url.indexOf('/'));
		ProcessBuilder builder = new ProcessBuilder("bash", Infra.file("backup/" + name).toString(), dump.toString())
			.redirectErrorStream(true);
		builder.environment().put("PGHOST", hostPort.substring(0, hostPort.indexOf(':')));
		builder.environment().put("PGPORT", hostPort.substring(hostPort.indexOf(':') + 1));
		builder.environment().put("PGUSER", TestPostgres.USER);
		builder.environment().put("PGDATABASE", url.substring(url.indexOf('/') + 1));
		Process process = builder.start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
		if (!out.contains("is not empty")) {
			assertThat(process.exitValue()).as(out).isZero();
		}
		else {
			assertThat(process.exitValue()).as(out).isNotZero();
		}
		if (name.equals("backup.sh")) {
			assertThat(Files.size(dump)).isPositive();
		}
		return out;
	}

	private static ConfigurableApplicationContext node(String database) {
		return new SpringApplicationBuilder(BeeldzorgApplication.class).profiles("demo")
			.run("--server.port=0", "--beeldzorg.database.url=" + database,
					"--beeldzorg.database.username=" + TestPostgres.USER, "--beeldzorg.demo.history=true",
					"--beeldzorg.signalling.join-token-secret=backup-test-secret-of-at-least-32-chars");
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
