package nl.beeldzorg.media;

import nl.beeldzorg.support.H2TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scenarios of {@link MediaStateEndToEndTests} on the embedded H2 of demo mode.
 */
class MediaStateOnH2Tests extends MediaStateEndToEndTests {

	@DynamicPropertySource
	static void h2(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-media");
		registry.add("beeldzorg.database.url", () -> url);
	}

}
