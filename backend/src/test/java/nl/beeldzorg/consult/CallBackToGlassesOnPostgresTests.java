package nl.beeldzorg.consult;

import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link CallBackToGlassesTests} on the real PostgreSQL (and its V19 migration). */
class CallBackToGlassesOnPostgresTests extends CallBackToGlassesTests {

	static final String database = TestPostgres.createDatabase("beeldzorg_call_back");

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
