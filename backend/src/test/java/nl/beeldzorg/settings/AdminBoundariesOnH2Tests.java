package nl.beeldzorg.settings;

import nl.beeldzorg.support.H2TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link AdminBoundariesTests} on the embedded H2.
 */
class AdminBoundariesOnH2Tests extends AdminBoundariesTests {

	@DynamicPropertySource
	static void h2(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-admin-boundaries");
		registry.add("beeldzorg.database.url", () -> url);
	}

}
