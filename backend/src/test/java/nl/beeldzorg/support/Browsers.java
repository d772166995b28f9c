package nl.beeldzorg.support;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * Debian's Chromium driven by Playwright, headless, with Chromium's fake camera (a moving
 * test pattern) and fake microphone (a beep), and no permission prompts: real pages, real
 * peer connections, real media. Each page gets its own browser context (its own storage,
 * as a separate phone or pair of glasses would have).
 */
public final class Browsers implements AutoCloseable {

	private static final String BINARY = System.getenv().getOrDefault("BEELDZORG_TEST_CHROMIUM", "/usr/bin/chromium");

	private final Playwright playwright;

	private final Browser browser;

	private final List<String> policyViolations = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final List<String> unprotectedResponses = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final java.util.Set<String> checkedResponses = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private Browsers(Playwright playwright, Browser browser) {
		this.playwright = playwright;
		this.browser = browser;
	}

	/**
	 * @param extraArgs further Chromium switches (a video file as the fake camera, say)
	 * @return a running headless Chromium
	 */
	public static Browsers launch(String... extraArgs) {
		if (!new File(BINARY).canExecute()) {
			throw new AssertionError("No Chromium at " + BINARY
					+ ": install Debian's chromium (apt-get install chromium), as bin/test does");
		}
		List<String> args = new java.util.ArrayList<>(
				List.of("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
						"--autoplay-policy=no-user-gesture-required", "--no-sandbox", "--disable-gpu"));
		args.addAll(List.of(extraArgs));
		Playwright playwright = Playwright.create();
		Browser browser = playwright.chromium()
			.launch(new BrowserType.LaunchOptions().setExecutablePath(Path.of(BINARY)).setHeadless(true).setArgs(args));
		return new Browsers(playwright, browser);
	}

	/**
	 * @param width viewport width
	 * @param height viewport height
	 * @return a new page in a fresh context with camera and microphone allowed
	 */
	public Page page(int width, int height) {
		BrowserContext context = this.browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)
			.setPermissions(List.of("camera", "microphone")));
		// Every Content-Security-Policy violation of every page, as the browser reports
		// it.
		context.addInitScript("document.addEventListener('securitypolicyviolation', (e) => console.error("
				+ "'CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI + ' in ' + e.sourceFile"
				+ " + ':' + e.lineNumber));");
		Page page = context.newPage();
		page.setDefaultTimeout(20_000);
		page.onResponse((response) -> {
			String url = response.url();
			if (url.startsWith("http://127.0.0.1:") && response.status() != 101) {
				this.checkedResponses.add(url.replaceAll("\\?.*", ""));
				if (response.headers().get("content-security-policy") == null) {
					this.unprotectedResponses.add(url);
				}
			}
		});
		// The page's own errors end up in the test output, where a failure is diagnosed.
		boolean errorsOnly = "errors".equals(System.getProperty("beeldzorg.browser.console"));
		page.onConsoleMessage((message) -> {
			if (message.text().contains("CSP violation") || message.text().contains("Content Security Policy")) {
				this.policyViolations.add(message.text());
			}
			if ("error".equals(message.type()) || (!errorsOnly && !"debug".equals(message.type()))) {
				System.out.println("[browser " + message.type() + "] " + message.text());
			}
		});
		page.onPageError((error) -> System.out.println("[browser page error] " + error));
		return page;
	}

	/**
	 * @return every Content-Security-Policy violation any page of this browser reported
	 * (its {@code securitypolicyviolation} events and Chromium's console errors)
	 */
	public List<String> policyViolations() {
		return List.copyOf(this.policyViolations);
	}

	/**
	 * @return the backend's responses (pages, scripts, styles, API answers) the pages
	 * received without a Content-Security-Policy header
	 */
	public List<String> unprotectedResponses() {
		return List.copyOf(this.unprotectedResponses);
	}

	/**
	 * @return the addresses (without query) of the backend's responses the pages received
	 */
	public java.util.Set<String> checkedResponses() {
		return java.util.Set.copyOf(this.checkedResponses);
	}

	@Override
	public void close() {
		this.browser.close();
		this.playwright.close();
	}

}
