package nl.beeldzorg.media;

import nl.beeldzorg.support.TestPostgres;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scenarios of {@link MediaStateEndToEndTests} on the real PostgreSQL.
 */
class MediaStateOnPostgresTests extends MediaStateEndToEndTests {

	static final String database = TestPostgres.createDatabase("beeldzorg_media");

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		registry.add("beeldzorg.database.url", () -> database);
		registry.add("beeldzorg.database.username", () -> TestPostgres.USER);
	}

}
