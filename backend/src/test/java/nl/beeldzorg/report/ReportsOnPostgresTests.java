package nl.beeldzorg.report;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenarios of {@link ReportsEndToEndTests} on the real PostgreSQL: the SQL
 * aggregates databases.
 */
class ReportsOnPostgresTests extends ReportsEndToEndTests {

	static final String database = TestPostgres.createDatabase("beeldzorg_reports");

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.database.url", () -> database);
		registry.add("beeldzorg.database.username", () -> TestPostgres.USER);
	}

	@Test
	void reportCellsEqualTheLedgerAndTheEndedConsultsTheySum() throws Exception {
		try (Connection connection = DriverManager.getConnection(database, TestPostgres.USER, "");
				Statement statement = connection.createStatement()) {
			assertThat(single(statement, "SELECT SUM(travel + handover + lost) FROM report_cell"))
				.isEqualTo(single(statement, "SELECT SUM(minutes) FROM ledger_entry"))
				.isPositive();
			assertThat(single(statement, "SELECT SUM(consults) FROM report_cell"))
				.isEqualTo(single(statement, "SELECT COUNT(*) FROM consult WHERE state = 'ENDED'"));
			assertThat(single(statement, "SELECT SUM(outcomes) FROM report_cell"))
				.isEqualTo(single(statement, "SELECT COUNT(DISTINCT consult_id) FROM consult_outcome"))
				.isPositive();
			assertThat(single(statement, "SELECT SUM(video_seconds) FROM report_cell"))
				.isEqualTo(single(statement, "SELECT SUM(video_seconds) FROM consult WHERE state = 'ENDED'"));
		}
	}

	private static long single(Statement statement, String sql) throws Exception {
		try (ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	@AfterAll
	void dropDatabase() {
		TestPostgres.dropDatabase(database);
	}

}
