package nl.beeldzorg.consult;

import nl.beeldzorg.support.H2TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link CallBackToGlassesTests} on H2. */
class CallBackToGlassesOnH2Tests extends CallBackToGlassesTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-call-back");
		registry.add("beeldzorg.database.url", () -> url);
	}

}
