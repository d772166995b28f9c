package nl.beeldzorg.glasses;

import java.io.IOException;

/**
 * The signed-in glasses: hands out an access token, refreshed a minute before it expires.
 * When the issuer says the session is over ({@code invalid_grant}), or the token expired
 * with nothing to refresh it, the glasses are signed out; when the issuer cannot be
 * reached, the token is used while it is still valid.
 */
public final class Session {

	static final long REFRESH_AHEAD_MILLIS = 60_000;

	private final TokenStore store;

	private final DeviceGrantClient client;

	private final DeviceGrantClient.Clock clock;

	public Session(TokenStore store, DeviceGrantClient client, DeviceGrantClient.Clock clock) {
		this.store = store;
		this.client = client;
		this.clock = clock;
	}

	public boolean signedIn() {
		return this.store.load() != null;
	}

	public void signedIn(Tokens tokens) {
		this.store.save(tokens);
	}

	public void signOut() {
		this.store.clear();
	}

	/**
	 * A valid access token, refreshed when due. Blocking: not on the UI thread.
	 * @return the token, or null when signed out (sign in again)
	 */
	public synchronized String accessToken() {
		Tokens tokens = this.store.load();
		if (tokens == null) {
			return null;
		}
		long now = this.clock.millis();
		if (!tokens.expiresWithin(REFRESH_AHEAD_MILLIS, now)) {
			return tokens.accessToken;
		}
		if (!tokens.refreshable()) {
			if (tokens.expiresWithin(0, now)) {
				this.store.clear();
				return null;
			}
			return tokens.accessToken;
		}
		try {
			Tokens renewed = this.client.refresh(tokens);
			this.store.save(renewed);
			return renewed.accessToken;
		}
		catch (DeviceGrantClient.DeviceGrantException ex) {
			this.store.clear();
			return null;
		}
		catch (IOException ex) {
			return tokens.expiresWithin(0, now) ? null : tokens.accessToken;
		}
	}

}
