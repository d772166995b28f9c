package nl.beeldzorg.imoz;

import nl.beeldzorg.support.H2TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * IMOZ photos on the embedded H2 database of demo mode.
 */
class ImozPhotosOnH2Tests extends ImozPhotosTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-imoz-photos");
		registry.add("beeldzorg.database.url", () -> url);
	}

}
