package nl.beeldzorg.imoz;

import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * IMOZ photos on PostgreSQL, as in production. The context goes with its database.
 */
@DirtiesContext
class ImozPhotosOnPostgresTests extends ImozPhotosTests {

	private static final String DATABASE = TestPostgres.createDatabase("beeldzorg_imoz_photos");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.database.url", () -> DATABASE);
		registry.add("beeldzorg.database.username", () -> TestPostgres.USER);
	}

	@AfterAll
	static void drop() {
		TestPostgres.dropDatabase(DATABASE);
	}

}
