package nl.beeldzorg.ledger;

import nl.beeldzorg.support.H2TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scenarios of {@link TimeSavedEndToEndTests} on the embedded H2 of demo mode.
 */
class TimeSavedOnH2Tests extends TimeSavedEndToEndTests {

	@DynamicPropertySource
	static void h2(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-ledger");
		registry.add("beeldzorg.database.url", () -> url);
	}

}
