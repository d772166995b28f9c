package nl.beeldzorg.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.CallPagesTests;
import nl.beeldzorg.support.H2TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static nl.beeldzorg.support.CallPages.APP;
import static nl.beeldzorg.support.CallPages.GLASSES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The glasses page on the glasses' own screens, a RealWear's 854x480 and a HoloLens's
 * 1280x720, through a real call with the consultant's app: no screen scrolls, every
 * control and both pictures are in view, text is 20 px or more, and what the nurse reads
 * is true (a photo while it rings is not "sent"; a decline names who declined).
 */
class GlassesScreensTests extends CallPagesTests {

	// What is wrong with the screen in view: anything scrolled or out of the viewport,
	// and text under 20 px.
	private static final String PROBLEMS = """
			() => {
			  const problems = [];
			  const page = document.scrollingElement;
			  if (page.scrollHeight > innerHeight) { problems.push("page is " + page.scrollHeight + " px tall"); }
			  if (page.scrollWidth > innerWidth) { problems.push("page is " + page.scrollWidth + " px wide"); }
			  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " '" + (el.textContent || "").trim().slice(0, 30) + "'";
			  document.querySelectorAll("button, input, select, video, label, h1, h2, p, strong, .g-marker").forEach((el) => {
			    if (!el.getClientRects().length) { return; }
			    const r = el.getBoundingClientRect();
			    if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) {
			      problems.push(name(el) + " outside the view: " + Math.round(r.left) + "," + Math.round(r.top) + " to " + Math.round(r.right) + "," + Math.round(r.bottom));
			    }
			    const size = parseFloat(getComputedStyle(el).fontSize);
			    if (!["VIDEO", "DIV"].includes(el.tagName) && size < 20) { problems.push(name(el) + " text " + size + " px"); }
			    if (el.scrollHeight > el.clientHeight + 1 && ["P", "BUTTON"].includes(el.tagName) && getComputedStyle(el).overflow === "hidden") {
			      problems.push(name(el) + " cut off");
			    }
			  });
			  return problems;
			}""";

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-glasses-screens");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@ParameterizedTest(name = "{0}x{1}")
	@CsvSource({ "854, 480", "1280, 720" })
	void aWholeConsultFitsTheGlassesScreenWithoutScrolling(int width, int height) throws Exception {
		Page glasses = this.pages.glasses();
		Page app = this.pages.app();
		glasses.setViewportSize(width, height);
		String size = width + "x" + height;
		fits(glasses, "#home", size + "-start-location");
		assertThat(glasses.locator("#locations button").count()).isEqualTo(3);

		glasses.locator("#locations button").first().click();
		glasses.locator("#client-ref").fill("K-4711");
		glasses.locator("#question").fill("Wond hiel verslechterd?");
		fits(glasses, "#client-step", size + "-start-client");
		for (String control : List.of("#client-ref", "#question", "#start", "#scan", "#other-location",
				"#urgencies [data-urgency=EMERGENCY]")) {
			CallPages.visible(glasses, control);
		}

		glasses.locator("#start").click();
		CallPages.visible(app, "#ringing .accept");
		// The app may ring a moment before the glasses' own event arrives.
		glasses.waitForFunction("() => document.getElementById('call-state').textContent.startsWith('Gaat over bij')");
		assertThat(glasses.locator("#call-state").textContent()).isEqualTo("Gaat over bij: Sophie Bakker (SO)");
		// "Maak foto" while it rings: nobody to send it to, and the nurse is told so.
		glasses.locator("#photo").click();
		assertThat(glasses.locator("#photo-state").textContent())
			.isEqualTo("Nog niemand verbonden: de foto is niet verstuurd.");
		assertThat(glasses.evaluate("() => window.beeldzorgGlasses.lastPhoto")).isNull();
		fits(glasses, "#call", size + "-ringing");
		for (String control : List.of("#call-state", "#local-video", "#remote-video", "#photo", "#mute", "#cancel")) {
			CallPages.visible(glasses, control);
		}

		this.pages.accept();
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(20));
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(20));
		assertThat(glasses.locator("#call-state").textContent()).startsWith("Aangenomen door Sophie Bakker");
		glasses.waitForFunction("() => document.getElementById('remote-video').videoWidth > 0"
				+ " && document.getElementById('local-video').videoWidth > 0");
		glasses.waitForFunction("() => document.getElementById('photo').dataset.ready === 'true'");
		glasses.locator("#photo").click();
		glasses.waitForFunction("() => window.beeldzorgGlasses.lastPhoto !== null");
		assertThat(glasses.locator("#photo-state").textContent()).startsWith("Foto verstuurd");
		glasses.locator("#mute").click();
		assertThat(glasses.locator("#mute").textContent()).isEqualTo("Microfoon aan");

		// The consultant points: the ring shows on the nurse's picture, with the status,
		// both pictures and every button in view at once.
		BoundingBox picture = app.locator("#remote-video").boundingBox();
		app.mouse().click(picture.x + picture.width / 2, picture.y + picture.height / 2);
		glasses.waitForFunction("() => window.beeldzorgGlasses.lastPointer !== null");
		CallPages.visible(glasses, "#marker");
		BoundingBox ring = glasses.locator("#marker").boundingBox();
		BoundingBox stage = glasses.locator("#local-video").boundingBox();
		assertThat(ring.x).isBetween(stage.x, stage.x + stage.width - ring.width);
		assertThat(ring.y).isBetween(stage.y, stage.y + stage.height - ring.height);
		fits(glasses, "#call", size + "-call");
		for (String control : List.of("#call-state", "#local-video", "#remote-video", "#marker", "#photo", "#mute",
				"#end")) {
			CallPages.visible(glasses, control);
		}
		// The world camera's picture is the big one.
		assertThat(stage.width * stage.height).isGreaterThan(0.4 * width * height);

		app.locator("#end").click();
		CallPages.visible(glasses, "#done");
		assertThat(glasses.locator("#done-message").textContent()).isEqualTo("Consult beëindigd");
		fits(glasses, "#done", size + "-ended");
		app.locator("#outcome-skip").click();

		// The next consult starts clean: no status of the last one carries over.
		glasses.locator("#again").click();
		fits(glasses, "#home", size + "-start-again");
		glasses.locator("#locations button").first().click();
		assertThat(glasses.locator("#client-ref").inputValue()).isEmpty();
		glasses.locator("#client-ref").fill("K-4712");
		glasses.locator("#start").click();
		CallPages.visible(glasses, "#cancel");
		assertThat(glasses.locator("#photo-state").textContent()).isEmpty();
		assertThat(glasses.locator("#mute").textContent()).isEqualTo("Microfoon uit");
		assertThat(glasses.evaluate("() => document.scrollingElement.scrollTop")).isEqualTo(0);
		glasses.locator("#cancel").click();
		CallPages.visible(glasses, "#done");
		assertThat(glasses.locator("#done-message").textContent()).isEqualTo("Consult geannuleerd.");
	}

	@Test
	void aDeclineTellsTheNurseWhoDeclinedAndWhatToDoNow() throws Exception {
		Page glasses = this.pages.glasses();
		glasses.setViewportSize(854, 480);
		this.pages.startConsult("K-4713");
		Page app = this.pages.app();
		CallPages.visible(app, "#ringing .decline");
		app.locator("#ringing .decline").first().click();
		CallPages.visible(glasses, "#done");
		// Sophie was the only SO present: nobody is left, so the nurse calls the backup.
		assertThat(glasses.locator("#done-message").textContent())
			.startsWith("Sophie Bakker (SO) kan niet opnemen en er is niemand meer om te bellen. Bel de achterwacht: ")
			.doesNotContain("Niemand nam op");
		fits(glasses, "#done", "854x480-declined");
	}

	private static void fits(Page glasses, String screen, String shot) throws Exception {
		CallPages.visible(glasses, screen);
		@SuppressWarnings("unchecked")
		List<String> problems = (List<String>) glasses.evaluate(PROBLEMS);
		Path directory = Path.of("target", "screenshots");
		Files.createDirectories(directory);
		glasses.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve("glasses-" + shot + ".png")));
		assertThat(problems).as(shot).isEmpty();
		@SuppressWarnings("unchecked")
		Map<String, Number> scroll = (Map<String, Number>) glasses
			.evaluate("() => ({ height: document.scrollingElement.scrollHeight, top: window.scrollY })");
		assertThat(scroll.get("height").intValue()).as(shot).isLessThanOrEqualTo(glasses.viewportSize().height);
		assertThat(scroll.get("top").intValue()).as(shot).isZero();
	}

}
