package nl.beeldzorg.settings;

import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link AdminBoundariesTests} on the real PostgreSQL (and its V14 migration).
 */
class AdminBoundariesOnPostgresTests extends AdminBoundariesTests {

	static final String database = TestPostgres.createDatabase("beeldzorg_admin_boundaries");

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
