package nl.beeldzorg.recording;

import nl.beeldzorg.support.H2TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link RecordingTests} on H2 (the demo's database). */
class RecordingOnH2Tests extends RecordingTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-recording");
		registry.add("beeldzorg.database.url", () -> url);
	}

}
