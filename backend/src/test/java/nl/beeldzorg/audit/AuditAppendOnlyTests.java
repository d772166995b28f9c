package nl.beeldzorg.audit;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import nl.beeldzorg.support.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The database refuses to change or remove audit records, on PostgreSQL and on H2, with
 * the application's own migrations.
 */
class AuditAppendOnlyTests {

	private static final String INSERT = "INSERT INTO audit_event (seq, at, actor_id, action, prev_hash, hash)"
			+ " VALUES (1, CURRENT_TIMESTAMP, 'u1', 'CREATED', '" + "0".repeat(64) + "', '" + "1".repeat(64) + "')";

	@Test
	void postgresRefusesUpdateDeleteAndTruncateOfAuditRecords() throws Exception {
		String url = TestPostgres.createDatabase("beeldzorg_audit");
		try {
			migrate(url, TestPostgres.USER, "postgresql");
			try (Connection connection = DriverManager.getConnection(url, TestPostgres.USER, "");
					Statement statement = connection.createStatement()) {
				statement.execute(INSERT);
				assertRefused(statement, "UPDATE audit_event SET detail = 'changed' WHERE seq = 1");
				assertRefused(statement, "DELETE FROM audit_event WHERE seq = 1");
				assertRefused(statement, "TRUNCATE audit_event");
				assertThat(count(statement)).isEqualTo(1);
			}
		}
		finally {
			TestPostgres.dropDatabase(url);
		}
	}

	@Test
	void h2RefusesUpdateAndDeleteOfAuditRecords() throws Exception {
		String url = "jdbc:h2:file:" + Files.createTempDirectory("beeldzorg-audit").resolve("db")
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
		migrate(url, "sa", "h2");
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				Statement statement = connection.createStatement()) {
			statement.execute(INSERT);
			assertRefused(statement, "UPDATE audit_event SET detail = 'changed' WHERE seq = 1");
			assertRefused(statement, "DELETE FROM audit_event WHERE seq = 1");
			assertThat(count(statement)).isEqualTo(1);
		}
	}

	private static void migrate(String url, String user, String vendor) {
		Flyway.configure()
			.dataSource(url, user, "")
			.locations("classpath:db/migration", "classpath:db/vendor/" + vendor)
			.load()
			.migrate();
	}

	private static void assertRefused(Statement statement, String sql) {
		assertThatExceptionOfType(SQLException.class).isThrownBy(() -> statement.execute(sql))
			.withMessageContaining("append-only");
	}

	private static long count(Statement statement) throws SQLException {
		try (var result = statement.executeQuery("SELECT COUNT(*) FROM audit_event")) {
			result.next();
			return result.getLong(1);
		}
	}

}
