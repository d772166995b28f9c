package nl.beeldzorg.report;

import nl.beeldzorg.support.H2TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The scenarios of {@link ReportsEndToEndTests} on the embedded H2 of demo mode.
 */
class ReportsOnH2Tests extends ReportsEndToEndTests {

	@DynamicPropertySource
	static void h2(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-report");
		registry.add("beeldzorg.database.url", () -> url);
	}

}
