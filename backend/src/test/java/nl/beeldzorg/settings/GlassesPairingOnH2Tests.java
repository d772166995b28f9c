package nl.beeldzorg.settings;

import nl.beeldzorg.support.H2TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link GlassesPairingTests} on H2. */
class GlassesPairingOnH2Tests extends GlassesPairingTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-glasses-pairing");
		registry.add("beeldzorg.database.url", () -> url);
	}

}
