package nl.beeldzorg.glasses;

/**
 * The JavaScript bridge answers only the configured backend's pages. JavaScript interface
 * methods run on a WebView thread, where the WebView's own URL cannot be read, so the
 * activity tells this guard each page that starts (and each history change) on the UI
 * thread; a call from any other page, a frame of another origin included, is refused.
 */
public final class BridgeGuard {

	private final Origin allowed;

	private volatile String currentUrl;

	public BridgeGuard(Origin allowed) {
		this.allowed = allowed;
	}

	/**
	 * Records the page now shown.
	 * @param url the main frame's URL
	 */
	public void pageShown(String url) {
		this.currentUrl = url;
	}

	/**
	 * Whether the page now shown may use the bridge.
	 * @return true for a page of the configured origin
	 */
	public boolean allowed() {
		return this.allowed.matches(this.currentUrl);
	}

	/**
	 * Refuses a call from another page.
	 * @throws SecurityException when the page now shown is of another origin
	 */
	public void check() {
		if (!allowed()) {
			throw new SecurityException("bridge refused for " + this.currentUrl);
		}
	}

	public Origin origin() {
		return this.allowed;
	}

}
