package nl.beeldzorg.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a user types a BSN, the page says in Dutch, next to that very field, that it
 * holds a BSN: the nurse on the glasses (854x480), the SO answering in her app on a phone
 * (390x844), the huisarts at a desk (1366x768).
 */
class BsnRefusalPagesTests extends DemoApplicationTests {

	private Browsers browsers;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-bsn-pages");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@BeforeEach
	void launch() {
		this.browsers = Browsers.launch();
	}

	@AfterEach
	void close() {
		this.browsers.close();
	}

	@Test
	void theGlassesSayNextToTheClientFieldAndTheQuestionThatTheyHoldABsn() throws Exception {
		Page glasses = this.browsers.page(854, 480);
		glasses.navigate(base() + "/glasses/?as=nurse.anna");
		glasses.locator("#locations button").first().click();
		glasses.locator("#client-ref").fill("BSN111222333");
		glasses.locator("#start").click();
		assertNextTo(glasses, "#client-ref", "BSN");
		shot(glasses, "glasses-854x480-client-ref");

		glasses.locator("#client-ref").fill("K-4711");
		glasses.locator("#question").fill("Mevrouw 111 222 333 heeft een wond");
		glasses.locator("#start").click();
		assertNextTo(glasses, "#question", "Hier staat een BSN in");
		assertThat(glasses.locator("#client-ref").getAttribute("aria-invalid")).isNull();
		shot(glasses, "glasses-854x480-question");
	}

	@Test
	void theSoIsToldNextToHerAnswerThatItHoldsABsn() throws Exception {
		String id = this.api.post("/api/v1/imoz/questions", this.api.token("ha.huib"),
				Map.of("clientRef", "P-77", "homeArea", "7331", "question", "Valt vaak; beleid?"), HttpStatus.CREATED)
			.get("id")
			.asString();
		this.api.post("/api/v1/imoz/questions/" + id + "/claim", this.api.token("so.sophie"), HttpStatus.OK);
		Page app = this.browsers.page(390, 844);
		app.navigate(base() + "/app/?as=so.sophie");
		Locator answer = app.locator("form.answer-form textarea[name=answer]");
		answer.fill("Advies voor cliënt met bsn 1234.56.782: medicatie herzien.");
		app.locator("form.answer-form button[type=submit]").click();
		assertNextTo(app, "form.answer-form textarea[name=answer]", "Hier staat een BSN in");
		app.locator("form.answer-form textarea[name=answer]").scrollIntoViewIfNeeded();
		shot(app, "app-390x844-answer");
		assertThat(this.api.get("/api/v1/imoz/questions/" + id, this.api.token("so.sophie"), HttpStatus.OK)
			.path("state")
			.asString()).isEqualTo("CLAIMED");
	}

	@Test
	void theHuisartsIsToldNextToBothFieldsThatHoldABsn() throws Exception {
		Page huisarts = this.browsers.page(1366, 768);
		huisarts.navigate(base() + "/huisarts/?as=ha.huib");
		huisarts.locator("#ask-client").fill("K-111222333");
		huisarts.locator("#ask-area").fill("7331");
		huisarts.locator("#ask-question").fill("Patiënt (BSN 111/222/333) valt vaak; beleid?");
		huisarts.locator("#ask-form button[type=submit]").click();
		assertNextTo(huisarts, "#ask-client", "lijkt een BSN");
		assertNextTo(huisarts, "#ask-question", "Hier staat een BSN in");
		shot(huisarts, "huisarts-1366x768-ask");
	}

	private static void assertNextTo(Page page, String field, String text) {
		Locator control = page.locator(field);
		page.waitForFunction("(selector) => document.querySelector(selector).getAttribute('aria-invalid') === 'true'",
				field);
		String note = control.getAttribute("aria-describedby").trim().split(" ")[0];
		Locator problem = page.locator("#" + note);
		CallPages.visible(page, "#" + note);
		assertThat(problem.textContent()).contains(text);
		// Right after the field, as the page reads.
		assertThat(page.evaluate("(selector) => document.querySelector(selector).nextElementSibling.id", field))
			.isEqualTo(note);
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

	private static void shot(Page page, String name) throws Exception {
		Path directory = Path.of("target", "screenshots");
		Files.createDirectories(directory);
		page.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve("bsn-" + name + ".png")));
	}

}
