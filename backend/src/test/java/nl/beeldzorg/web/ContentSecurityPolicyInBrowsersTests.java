package nl.beeldzorg.web;

import java.time.Duration;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import nl.beeldzorg.support.CallPages;
import nl.beeldzorg.support.CallPagesTests;
import nl.beeldzorg.support.H2TestDatabase;
import nl.beeldzorg.support.TestImages;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static nl.beeldzorg.support.CallPages.APP;
import static nl.beeldzorg.support.CallPages.GLASSES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strict Content-Security-Policy breaks nothing: all four pages, through a real call
 * with media and a photo over the data channel, a written question with a photo, and the
 * dashboard's charts, without a single violation reported by Chromium; and every page,
 * script, style and API answer they load carries the policy.
 */
class ContentSecurityPolicyInBrowsersTests extends CallPagesTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		String url = H2TestDatabase.create("beeldzorg-csp");
		registry.add("beeldzorg.database.url", () -> url);
	}

	@Test
	void everyPageThroughARealCallRunsWithoutAPolicyViolation() throws Exception {
		Page glasses = this.pages.glasses();
		Page app = this.pages.app();
		this.pages.startConsult("K-CSP-1");
		CallPages.visible(app, "#ringing .accept");
		this.pages.accept();
		CallPages.awaitMediaFlowing(glasses, GLASSES, Duration.ofSeconds(20));
		CallPages.awaitMediaFlowing(app, APP, Duration.ofSeconds(20));
		glasses.locator("#photo").click();
		app.waitForFunction("() => window.beeldzorgApp.photos.length === 1");
		// The photo is shown from a blob: URL, which img-src must allow.
		app.waitForFunction("() => { const i = document.querySelector('#photo-list img');"
				+ " return i && i.complete && i.naturalWidth > 0; }");
		assertThat(app.evaluate("() => document.querySelector('#photo-list img').naturalWidth")).isEqualTo(1280);
		this.pages.endAndReset();

		Page huisarts = this.browsers.page(1000, 1200);
		huisarts.navigate(base() + "/huisarts/?as=ha.huib");
		huisarts.locator("#live").filter(new Locator.FilterOptions().setHasText("Live")).waitFor();
		huisarts.locator("#ask-client").fill("P-4411");
		huisarts.locator("#ask-area").fill("7331");
		huisarts.locator("#ask-question").fill("Decubitus hiel graad 2, beleid?");
		huisarts.locator("#ask-photos")
			.setInputFiles(new FilePayload("hiel.jpg", "image/jpeg", TestImages.jpeg(800, 600, 11)));
		huisarts.locator("#ask-form button[type=submit]").click();
		huisarts.locator("#ask-result").filter(new Locator.FilterOptions().setHasText("Verstuurd met 1")).waitFor();
		huisarts.locator("#questions .question").first().waitFor();

		Page programme = this.browsers.page(1366, 768);
		programme.navigate(base() + "/programme/?as=programme.pim");
		programme.waitForSelector("body[data-loaded=true]");
		programme.waitForTimeout(500);

		assertThat(this.browsers.policyViolations()).isEmpty();
		assertThat(this.browsers.unprotectedResponses()).isEmpty();
		assertThat(this.browsers.checkedResponses()).contains(base() + "/glasses/", base() + "/app/",
				base() + "/huisarts/", base() + "/programme/", base() + "/common/call.js", base() + "/common/pages.css",
				base() + "/api/v1/client-config");
	}

	@Test
	void anInlineScriptIsRefusedAndReported() {
		// The test's own proof that the listener catches violations: inject what the
		// policy forbids.
		Page page = this.pages.app();
		page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true';"
				+ " document.head.appendChild(s); }");
		page.waitForTimeout(300);
		assertThat(page.evaluate("() => window.inlineRan === true")).isEqualTo(false);
		assertThat(this.browsers.policyViolations())
			.anySatisfy((violation) -> assertThat(violation).contains("script-src"));
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

}
