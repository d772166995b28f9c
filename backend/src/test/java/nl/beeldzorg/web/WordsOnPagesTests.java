package nl.beeldzorg.web;

import java.nio.file.Files;
import java.nio.file.Path;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages speak their own words: a refusal from the server shows in Dutch next to the
 * field it concerns (never the server's English detail), switching language redraws live
 * texts, and people show as names with their role as a word.
 */
class WordsOnPagesTests extends DemoApplicationTests {

	private static final String BSN_NL = "Dit lijkt een BSN. Gebruik het cliëntnummer uit het dossier, nooit een BSN of naam.";

	private static final String BSN_EN = "This looks like a BSN. Use the client number from the record, never a BSN or a name.";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-words");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void aBsnLikeClientRefOnTheGlassesShowsDutchWordsNextToTheClientField() throws Exception {
		try (Browsers browsers = Browsers.launch()) {
			Page glasses = browsers.page(854, 480);
			glasses.navigate(base() + "/glasses/?as=nurse.anna");
			glasses.locator("#locations button").first().click();
			glasses.locator("#client-ref").fill("111222333");
			glasses.locator("#start").click();
			Locator note = glasses.locator("#client-ref-problem");
			note.waitFor();
			assertThat(note.textContent()).isEqualTo(BSN_NL);
			assertThat(glasses.locator("#client-ref").getAttribute("aria-invalid")).isEqualTo("true");
			assertThat(glasses.locator("#client-ref").getAttribute("aria-describedby")).contains("client-ref-problem");
			// Next to the field: right under it, not somewhere else on the page.
			double fieldBottom = glasses.locator("#client-ref").boundingBox().y
					+ glasses.locator("#client-ref").boundingBox().height;
			assertThat(note.boundingBox().y - fieldBottom).isBetween(0.0, 24.0);
			assertThat(glasses.locator("body").innerText()).doesNotContain("looks like a BSN")
				.doesNotContain("clientRef");
			note.scrollIntoViewIfNeeded();
			shot(glasses, "words-glasses-bsn-854x480.png");
			glasses.locator(".g-languages button[data-lang=en]").click();
			assertThat(note.textContent()).isEqualTo(BSN_EN);
			glasses.locator("#client-ref").fill("K-4711");
			assertThat(glasses.locator("#client-ref-problem").count()).isZero();
			assertThat(glasses.locator("#client-ref").getAttribute("aria-invalid")).isNull();
		}
	}

	@Test
	void aBsnLikeClientRefOnTheHuisartsPageShowsDutchWordsNextToTheClientField() throws Exception {
		try (Browsers browsers = Browsers.launch()) {
			Page huisarts = browsers.page(390, 844);
			huisarts.navigate(base() + "/huisarts/?as=ha.huib");
			huisarts.locator("#live").filter(new Locator.FilterOptions().setHasText("Live verbonden")).waitFor();
			huisarts.locator("#video-client").fill("111222333");
			huisarts.locator("#video-area").fill("7331");
			huisarts.locator("#video-form button[type=submit]").click();
			Locator note = huisarts.locator("#video-client-problem");
			note.waitFor();
			assertThat(note.textContent()).isEqualTo(BSN_NL);
			assertThat(huisarts.locator("#video-client").getAttribute("aria-describedby"))
				.contains("video-client-problem");
			assertThat(huisarts.locator("body").innerText()).doesNotContain("looks like a BSN");
			assertThat(huisarts.locator("#who").textContent()).isEqualTo("Huib van Dijk (huisarts)");
			huisarts.locator("#video-client").scrollIntoViewIfNeeded();
			shot(huisarts, "words-huisarts-bsn-390x844.png");
		}
	}

	@Test
	void switchingToEnglishRedrawsLiveVerbondenAndTheAvailabilityInTheApp() {
		try (Browsers browsers = Browsers.launch()) {
			Page app = browsers.page(390, 844);
			app.navigate(base() + "/app/?as=so.sophie");
			app.locator("#live").filter(new Locator.FilterOptions().setHasText("Live verbonden")).waitFor();
			app.locator("#presence").filter(new Locator.FilterOptions().setHasText("U bent beschikbaar")).waitFor();
			assertThat(app.locator("#who").textContent()).isEqualTo("Sophie Bakker (SO)");
			app.locator("#language").selectOption("en");
			assertThat(app.locator("#live").textContent()).isEqualTo("Live");
			assertThat(app.locator("#presence").textContent()).isEqualTo("You are available: consults ring for you.");
			app.locator("#language").selectOption("nl");
			assertThat(app.locator("#live").textContent()).isEqualTo("Live verbonden");
		}
	}

	@Test
	void signInMenusShowPeopleWithTheirRoleAsAWord() {
		try (Browsers browsers = Browsers.launch()) {
			Page programme = browsers.page(1366, 768);
			programme.navigate(base() + "/programme/");
			Locator options = programme.locator("#demo-user option");
			options.first()
				.waitFor(new Locator.WaitForOptions()
					.setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
			assertThat(options.allTextContents()).contains("Pim de Wit (programmabureau)", "Ada Hendriks (beheerder)");
			programme.locator("#signin-button").click();
			programme.locator("#who").filter(new Locator.FilterOptions().setHasText("(")).waitFor();
			assertThat(programme.locator("#who").textContent()).isIn("Pim de Wit (programmabureau)",
					"Ada Hendriks (verpleegkundige, beheerder)");
			Page app = browsers.page(390, 844);
			app.navigate(base() + "/app/?lang=en");
			app.locator("#demo-user option")
				.first()
				.waitFor(new Locator.WaitForOptions()
					.setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
			assertThat(app.locator("#demo-user option").allTextContents())
				.contains("Sophie Bakker (elderly-care physician)", "Vera de Boer (nurse practitioner)");
		}
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

	private static void shot(Page page, String name) throws Exception {
		Path directory = Path.of("target", "screenshots");
		Files.createDirectories(directory);
		page.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve(name)));
	}

}
