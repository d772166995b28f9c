package nl.beeldzorg.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.WaitForSelectorState;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.CallPagesTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.RecordingTestBroker;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static nl.beeldzorg.support.CallPages.APP;
import static nl.beeldzorg.support.CallPages.GLASSES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recording in the pages (issue 15): the SO records who consented and starts a recording
 * from her call screen; the glasses (at RealWear's 854x480) and the app (on a phone) show
 * "OPNAME LOOPT" and say it to screen readers until it stops; media keeps flowing peer to
 * peer meanwhile (the test broker records without a media server).
 */
@Import(RecordingTestBroker.Configuration.class)
class RecordingInBrowsersTests extends CallPagesTests {

	/** Where screenshots for the lead go, besides target/screenshots. */
	static final Path SHOTS = Path.of(System.getProperty("beeldzorg.shots", "target/screenshots"));

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) throws IOException {
		String url = H2TestDatabase.create("beeldzorg-recording-pages");
		Path directory = Files.createTempDirectory("beeldzorg-recordings-pages");
		registry.add("beeldzorg.database.url", () -> url);
		registry.add("beeldzorg.recordings.directory", directory::toString);
	}

	@Autowired
	RecordingTestBroker broker;

	@Test
	void everyScreenShowsTheRecordingWhileItRunsAndTheSoRecordsConsentFirst() throws Exception {
		Page glasses = this.pages.glasses();
		Page app = this.pages.app();
		glasses.setViewportSize(854, 480);
		app.setViewportSize(390, 844);
		this.pages.startConsult("K-4711");
		CallPages.visible(app, "#ringing .accept");
		this.pages.accept();
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(20));
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(20));
		assertThat(glasses.locator("#recording-badge").isVisible()).isFalse();
		assertThat(app.locator("#recording-badge").isVisible()).isFalse();
		assertThat(app.locator("#recording-stop").isVisible()).isFalse();

		// Consent first: the form asks who gave it; without a choice nothing is sent.
		app.locator("#recording-start").click();
		CallPages.visible(app, "#recording-form");
		assertThat(app.locator("#recording-form legend").textContent()).isEqualTo("Wie gaf toestemming?");
		app.locator("#recording-confirm").click();
		assertThat(this.broker.calls()).isEmpty();
		app.locator("#recording-form input[value=REPRESENTATIVE]").check();
		app.locator("#recording-note").fill("Dochter stemde mondeling in");
		app.locator("#recording-confirm").click();

		for (Page page : List.of(glasses, app)) {
			CallPages.visible(page, "#recording-badge");
			assertThat(page.locator("#recording-badge").textContent()).isEqualTo("OPNAME LOOPT");
			assertThat(page.locator("#recording-said").textContent())
				.isEqualTo("De opname van dit consult is gestart.");
			assertThat(page.locator("#recording-badge").getAttribute("aria-hidden")).isEqualTo("true");
			assertThat(page.locator("#recording-said").getAttribute("role")).isEqualTo("status");
		}
		assertThat(this.broker.calls()).singleElement().asString().endsWith("consent=REPRESENTATIVE");
		// Wholly on screen, and on the glasses no button (a button's label would be a
		// voice command).
		insideViewport(glasses, 854, 480);
		insideViewport(app, 390, 844);
		assertThat(glasses.locator("button:has-text('OPNAME')").count()).isZero();
		CallPages.visible(app, "#recording-stop");
		assertThat(app.locator("#recording-start").isVisible()).isFalse();
		assertThat(app.locator("#recording-form").isVisible()).isFalse();
		shoot(glasses, "recording-glasses-854x480.png");
		shoot(app, "recording-app-390x844.png");
		// Media still flows peer to peer while it records.
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(10));
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(10));

		app.locator("#recording-stop").click();
		for (Page page : List.of(glasses, app)) {
			page.locator("#recording-badge")
				.waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setState(WaitForSelectorState.HIDDEN)
					.setTimeout(10_000));
			assertThat(page.locator("#recording-said").textContent()).isEqualTo("De opname is gestopt.");
		}
		CallPages.visible(app, "#recording-start");
		assertThat(this.broker.calls()).hasSize(2).last().asString().startsWith("stop ");
	}

	@Test
	void aPageThatJoinsWhileARecordingRunsShowsItToo() {
		Page glasses = this.pages.glasses();
		Page app = this.pages.app();
		this.pages.startConsult("K-4712");
		CallPages.visible(app, "#ringing .accept");
		this.pages.accept();
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(20));
		app.locator("#recording-start").click();
		app.locator("#recording-form input[value=CLIENT]").check();
		app.locator("#recording-confirm").click();
		CallPages.visible(glasses, "#recording-badge");
		glasses.reload();
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(20));
		CallPages.visible(glasses, "#recording-badge");
		assertThat(glasses.locator("#recording-badge").textContent()).isEqualTo("OPNAME LOOPT");
	}

	private static void insideViewport(Page page, int width, int height) {
		BoundingBox box = page.locator("#recording-badge").boundingBox();
		assertThat(box).isNotNull();
		assertThat(box.x).isGreaterThanOrEqualTo(0);
		assertThat(box.y).isGreaterThanOrEqualTo(0);
		assertThat(box.x + box.width).isLessThanOrEqualTo(width);
		assertThat(box.y + box.height).isLessThanOrEqualTo(height);
		assertThat(box.height).as("readable at a glance").isGreaterThanOrEqualTo(24);
	}

	private static void shoot(Page page, String name) throws IOException {
		Files.createDirectories(SHOTS);
		page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name)));
	}

}
