package nl.beeldzorg.report;

import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

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

	@AfterAll
	void dropDatabase() {
		TestPostgres.dropDatabase(database);
	}

}
