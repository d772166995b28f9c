package nl.beeldzorg.settings;

import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link GlassesPairingTests} on the real PostgreSQL (and its V18 migration). */
class GlassesPairingOnPostgresTests extends GlassesPairingTests {

	static final String database = TestPostgres.createDatabase("beeldzorg_glasses_pairing");

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
