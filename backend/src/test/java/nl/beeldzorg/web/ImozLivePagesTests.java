package nl.beeldzorg.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The huisarts's page and the SO's app open side by side, neither reloaded: the
 * huisarts's question appears in the app at once, the SO's claim and answer appear on the
 * huisarts's page at once with who answered and when, and the app keeps the answer as
 * history. Booking cards name the SO; a ringing IMOZ consult shows its postcode area.
 */
class ImozLivePagesTests extends DemoApplicationTests {

	private static final Path SHOTS = Path.of("target", "screenshots");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-imoz-live-pages");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void questionClaimAndAnswerAppearOnTheOtherScreenWithoutReload() throws Exception {
		Files.createDirectories(SHOTS);
		try (Browsers browsers = Browsers.launch()) {
			Page huisarts = browsers.page(1366, 768);
			huisarts.navigate(base() + "/huisarts/?as=ha.huib");
			live(huisarts);
			Page app = browsers.page(390, 844);
			app.navigate(base() + "/app/?as=so.sophie");
			live(app);
			// A reload would clear these marks; they prove the pages were never reloaded.
			huisarts.evaluate("() => { window.notReloaded = true; }");
			app.evaluate("() => { window.notReloaded = true; }");

			ask(huisarts, "P-5120", "7331", "Gewichtsverlies 6 kg in 2 maanden; verder onderzoek zinvol?");
			Locator question = app.locator("#imoz-questions .question")
				.filter(new Locator.FilterOptions().setHasText("P-5120"));
			question.waitFor();
			assertThat(question.textContent()).contains("Huib van Dijk").contains("7331");

			question.locator("button.claim").click();
			Locator onPage = huisarts.locator("#questions .question")
				.filter(new Locator.FilterOptions().setHasText("P-5120"));
			onPage.locator(".claimant").filter(new Locator.FilterOptions().setHasText("Sophie Bakker")).waitFor();
			assertThat(onPage.locator(".urgency").textContent()).isEqualTo("In behandeling");

			Locator form = app.locator("#imoz-questions .answer-form").first();
			form.waitFor();
			form.locator("textarea").fill("Eerst TSH, Hb en albumine; bij geen verklaring verwijzen.");
			// A question arriving while she writes keeps what she typed.
			ask(huisarts, "P-5121", "7311", "Valt 's nachts; sensor of medicatie aanpassen?");
			app.locator("#imoz-questions .question").filter(new Locator.FilterOptions().setHasText("P-5121")).waitFor();
			assertThat(app.locator("#imoz-questions .answer-form textarea").inputValue())
				.isEqualTo("Eerst TSH, Hb en albumine; bij geen verklaring verwijzen.");
			app.locator("#imoz-questions .answer-form select").selectOption("IMOZ-SCHRIFTELIJK");
			app.locator("#imoz-questions .answer-form button[type=submit]").click();

			Locator answered = huisarts.locator("#questions .question.state-ANSWERED")
				.filter(new Locator.FilterOptions().setHasText("P-5120"));
			answered.waitFor();
			assertThat(answered.locator(".answer").textContent())
				.isEqualTo("Eerst TSH, Hb en albumine; bij geen verklaring verwijzen.");
			assertThat(answered.locator(".answerer").textContent()).startsWith("Sophie Bakker, ");
			Locator history = app.locator("#imoz-history .question").first();
			history.waitFor();
			assertThat(history.textContent()).contains("P-5120").contains("Eerst TSH");
			assertThat(app.locator("#imoz-history-title").textContent()).isEqualTo("Beantwoord (recent)");

			// A video consult booked with Sophie names her on both screens.
			String at = LocalDateTime.now()
				.plusDays(1)
				.truncatedTo(ChronoUnit.MINUTES)
				.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
			huisarts.locator("#video-client").fill("P-5120");
			huisarts.locator("#video-area").fill("7331");
			huisarts.locator("#video-question").fill("Samen de uitslagen bespreken");
			huisarts.locator("#video-so").selectOption(this.api.userId("so.sophie"));
			huisarts.locator("#video-at").fill(at);
			huisarts.locator("#video-form button[type=submit]").click();
			assertThat(textOf(huisarts.locator("#bookings .booking .so"))).isEqualTo("Sophie Bakker");
			assertThat(textOf(app.locator("#bookings .booking .so"))).isEqualTo("Sophie Bakker");

			shot(app, "app-390x844", false);
			shot(app, "app-390x844-full", true);
			shot(huisarts, "gp-1366x768", false);
			shot(huisarts, "gp-1366x768-full", true);
			huisarts.setViewportSize(390, 844);
			shot(huisarts, "gp-390x844-full", true);

			// A video consult asked now rings her app with the patient's postcode area.
			JsonNode ringing = this.api.post(
					"/api/v1/consults", this.api.token("ha.huib"), Map.of("kind", "IMOZ", "clientRef", "P-5122",
							"homeArea", "7339", "urgency", "URGENT", "consultantId", this.api.userId("so.sophie")),
					HttpStatus.CREATED);
			Locator card = app.locator("#ringing .card").first();
			card.waitFor();
			app.evaluate("() => window.scrollTo(0, 0)");
			assertThat(card.locator(".location").textContent()).isEqualTo("7339");
			assertThat(card.textContent()).contains("Postcodegebied");
			shot(app, "app-390x844-ringing", false);
			this.api.post("/api/v1/consults/" + ringing.get("id").asString() + "/cancel", this.api.token("ha.huib"),
					HttpStatus.OK);

			assertThat(huisarts.evaluate("() => window.notReloaded === true")).isEqualTo(true);
			assertThat(app.evaluate("() => window.notReloaded === true")).isEqualTo(true);
		}
	}

	private static void ask(Page huisarts, String client, String area, String text) {
		huisarts.locator("#ask-client").fill(client);
		huisarts.locator("#ask-area").fill(area);
		huisarts.locator("#ask-question").fill(text);
		huisarts.locator("#ask-form button[type=submit]").click();
		huisarts.locator("#ask-result").filter(new Locator.FilterOptions().setHasText("Verstuurd")).waitFor();
	}

	private static String textOf(Locator locator) {
		locator.first().waitFor();
		return locator.first().textContent();
	}

	private static void shot(Page page, String name, boolean fullPage) {
		page.screenshot(
				new Page.ScreenshotOptions().setPath(SHOTS.resolve("imozlive-" + name + ".png")).setFullPage(fullPage));
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

	private static void live(Page page) {
		page.locator("#live").filter(new Locator.FilterOptions().setHasText("Live")).waitFor();
	}

}
