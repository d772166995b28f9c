package nl.beeldzorg.recording;

import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link RecordingTests} on the real PostgreSQL (and its V20 migration). */
class RecordingOnPostgresTests extends RecordingTests {

	static final String database = TestPostgres.createDatabase("beeldzorg_recording");

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
