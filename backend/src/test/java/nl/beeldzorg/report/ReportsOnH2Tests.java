package nl.beeldzorg.report;

import java.nio.file.Path;

import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.HeadlessChromium;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenarios of {@link ReportsEndToEndTests} on the embedded H2 of demo mode, and the
 * programme dashboard in headless Chromium on the same data.
 */
class ReportsOnH2Tests extends ReportsEndToEndTests {

	@DynamicPropertySource
	static void h2(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-report");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void dashboardDrawsChartsAndTheTableFromTheReports() throws Exception {
		String url = "http://127.0.0.1:" + this.port + "/programme/?as=programme.pim";
		String dom = HeadlessChromium.dom(url);
		assertThat(dom).contains("data-loaded=\"true\"");
		// Per month, or per quarter when suppression shows no single month.
		assertThat(dom).contains("<html lang=\"nl\"")
			.containsPattern("Minuten bespaard per (maand|kwartaal) per organisatie");
		assertThat(dom).contains("data-institution=\"zga\"").contains("data-institution=\"atlant\"");
		assertThat(dom).contains("onderdrukt (&lt; 3 behandelaren)");
		assertThat(dom).containsPattern("id=\"total-minutes\">[0-9.]+<");
		assertThat(dom).doesNotContain("Ophalen mislukt");
		HeadlessChromium.screenshot(url, Path.of("target", "screenshots", "programme-dashboard.png"));
		String english = HeadlessChromium.dom(url + "&lang=en");
		assertThat(english).containsPattern("Minutes saved per (month|quarter) per institution");
	}

}
