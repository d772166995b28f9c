package nl.beeldzorg.ledger;

import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scenarios of {@link TimeSavedEndToEndTests} on the real PostgreSQL.
 */
class TimeSavedOnPostgresTests extends TimeSavedEndToEndTests {

	static final String database = TestPostgres.createDatabase("beeldzorg_ledger");

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.database.url", () -> database);
		registry.add("beeldzorg.database.username", () -> TestPostgres.USER);
	}

	@AfterAll
	static void dropDatabase() {
		TestPostgres.dropDatabase(database);
	}

}
