package nl.beeldzorg.web;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import nl.beeldzorg.support.Browsers;
import nl.beeldzorg.support.DemoApplicationTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The huisarts's page and the SO's app in Chromium: a written question with a photo goes
 * from the huisarts to the SO, who sees the same photo, takes the question and answers it
 * with a billing code; the huisarts reads the answer. A booked video consult shows up
 * live in the booked SO's app. A consultant asks an expert from the app and the call
 * opens when the expert accepts.
 */
class ImozPagesTests extends DemoApplicationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-imoz-pages");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void writtenQuestionWithAPhotoFromHuisartsPageToSoAppAndBack() throws Exception {
		byte[] wound = nl.beeldzorg.support.TestImages.jpeg(800, 600, 11);
		String sha = nl.beeldzorg.support.TestImages.sha256(wound);
		try (Browsers browsers = Browsers.launch()) {
			Page huisarts = browsers.page(1000, 1200);
			huisarts.navigate(base() + "/huisarts/?as=ha.huib");
			live(huisarts);
			Page app = browsers.page(1000, 1200);
			app.navigate(base() + "/app/?as=so.sophie");
			live(app);
			assertThat(app.locator("#imoz").isVisible()).isTrue();

			huisarts.locator("#ask-client").fill("P-4410");
			huisarts.locator("#ask-area").fill("7331");
			huisarts.locator("#ask-question").fill("Decubitus hiel graad 2, beleid?");
			huisarts.locator("#ask-photos").setInputFiles(new FilePayload("hiel.jpg", "image/jpeg", wound));
			huisarts.locator("#ask-form button[type=submit]").click();
			huisarts.locator("#ask-result").filter(new Locator.FilterOptions().setHasText("Verstuurd met 1")).waitFor();
			huisarts.locator("#questions .question").first().waitFor();
			assertThat(huisarts.locator("#questions .question .urgency").first().textContent()).isEqualTo("Open");

			// The SO's app looks again when it comes to the front; here: a reload.
			app.reload();
			live(app);
			Locator question = app.locator("#imoz-questions .question").first();
			question.waitFor();
			assertThat(question.textContent()).contains("P-4410").contains("Decubitus hiel graad 2, beleid?");
			Locator image = question.locator(".thumbs img");
			image.waitFor();
			app.waitForFunction("(img) => img.complete && img.naturalWidth > 0", image.elementHandle());
			assertThat(image.evaluate("(img) => img.naturalWidth")).isEqualTo(800);
			Object shown = image.evaluate("""
					async (img) => {
					  const bytes = await (await fetch(img.src)).arrayBuffer();
					  const digest = await crypto.subtle.digest('SHA-256', bytes);
					  return Array.from(new Uint8Array(digest)).map((b) => b.toString(16).padStart(2, '0')).join('');
					}""");
			assertThat(shown).as("the SO sees the huisarts's photo, byte for byte").isEqualTo(sha);

			question.locator("button.claim").click();
			Locator form = app.locator("#imoz-questions .answer-form").first();
			form.waitFor();
			form.locator("textarea").fill("Drukontlasting, hielen vrij leggen; foto over een week.");
			// The same list read again (the app comes to the front) keeps her card as it
			// is: the element she types in and would tap is not replaced under her
			// finger.
			form.evaluate("(f) => { f.dataset.mark = 'kept'; f.querySelector('textarea').focus(); }");
			app.waitForResponse((response) -> response.url().endsWith("/api/v1/imoz/questions"),
					() -> app.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))"))
				.finished();
			app.evaluate("() => new Promise((done) => setTimeout(done, 200))");
			assertThat(app.evaluate("() => document.querySelector('#imoz-questions form[data-mark=kept]') !== null"))
				.isEqualTo(true);
			assertThat(app.evaluate("() => document.activeElement.name")).isEqualTo("answer");
			form.locator("select").selectOption("IMOZ-SCHRIFTELIJK");
			form.locator("button[type=submit]").click();
			app.locator("#inbox-message")
				.filter(new Locator.FilterOptions().setHasText("Antwoord verstuurd"))
				.waitFor();
			app.locator("#imoz-empty")
				.waitFor(new Locator.WaitForOptions()
					.setState(com.microsoft.playwright.options.WaitForSelectorState.VISIBLE));

			huisarts.reload();
			live(huisarts);
			Locator answered = huisarts.locator("#questions .question.state-ANSWERED").first();
			answered.waitFor();
			assertThat(answered.locator(".answer").textContent())
				.isEqualTo("Drukontlasting, hielen vrij leggen; foto over een week.");

			// A video consult booked with Sophie shows up in her app at once.
			String at = LocalDateTime.now()
				.plusDays(2)
				.truncatedTo(ChronoUnit.MINUTES)
				.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
			huisarts.locator("#video-client").fill("P-4410");
			huisarts.locator("#video-area").fill("7331");
			huisarts.locator("#video-so").selectOption(this.api.userId("so.sophie"));
			huisarts.locator("#video-at").fill(at);
			huisarts.locator("#video-form button[type=submit]").click();
			huisarts.locator("#video-result").filter(new Locator.FilterOptions().setHasText("Ingepland op")).waitFor();
			huisarts.locator("#bookings .booking").first().waitFor();
			assertThat(huisarts.locator("#bookings .booking").count()).isEqualTo(1);
			app.locator("#bookings .booking").first().waitFor();
			assertThat(app.locator("#bookings .booking").first().textContent()).contains("Huib van Dijk")
				.contains("P-4410");
		}
	}

	@Test
	void aConsultantAsksAnExpertFromTheAppAndTheCallOpensOnAccept() {
		String admin = this.api.token("admin.ada");
		this.api.put("/api/v1/admin/consultants/" + this.api.userId("so.lotte") + "/expertise", admin,
				Map.of("tags", List.of("wounds")), HttpStatus.OK);
		String lotte = this.api.token("so.lotte");
		try (Browsers browsers = Browsers.launch(); var lottesApp = this.api.present(lotte)) {
			Page app = browsers.page(1000, 1000);
			app.navigate(base() + "/app/?as=so.sophie");
			live(app);
			assertThat(app.locator("#expert-tag option[value=wounds]").textContent()).isEqualTo("Wondzorg");
			app.locator("#expert-tag").selectOption("wounds");
			app.locator("#expert-client").fill("K-5120");
			app.locator("#expert-question").fill("Necrotische wond teen, debrideren?");
			app.locator("#expert-form button[type=submit]").click();
			app.locator("#expert-result").filter(new Locator.FilterOptions().setHasText("Lotte Visser")).waitFor();
			String id = lottesApp.next("consult.ringing").get("id").asString();
			this.api.post("/api/v1/consults/" + id + "/accept", lotte, HttpStatus.OK);
			app.locator("#call").waitFor();
			assertThat(app.evaluate("() => window.beeldzorgApp.consult && window.beeldzorgApp.consult.id"))
				.isEqualTo(id);
		}
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

	private static void live(Page page) {
		page.locator("#live").filter(new Locator.FilterOptions().setHasText("Live")).waitFor();
	}

}
