package nl.beeldzorg.glasses;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.json.JSONException;
import org.json.JSONObject;

/**
 * Sign-in without a keyboard: the OAuth 2.0 Device Authorization Grant (RFC 8628) against
 * the issuer the backend names in {@code GET /api/v1/client-config}
 * ({@code signIn.device}: the demo issuer at {@code /demo}, or Keycloak's device client),
 * and the refresh of the tokens it gives.
 */
public final class DeviceGrantClient {

	static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

	/** RFC 8628 3.5: slow_down adds five seconds to the polling interval. */
	static final long SLOW_DOWN_MILLIS = 5000;

	private final Http http;

	private final Clock clock;

	public DeviceGrantClient(Http http, Clock clock) {
		this.http = http;
		this.clock = clock;
	}

	/**
	 * Where and as whom to ask for a code.
	 * @param backend the backend's origin
	 * @return the issuer's endpoints and the device client
	 * @throws DeviceGrantException {@code device.unavailable} when the backend offers no
	 * device sign-in
	 * @throws IOException when the backend or the issuer cannot be reached
	 */
	public Issuer discover(Origin backend) throws IOException {
		JSONObject config = json(this.http.get(backend.resolve("/api/v1/client-config")), "client-config");
		JSONObject signIn = config.optJSONObject("signIn");
		JSONObject device = (signIn != null) ? signIn.optJSONObject("device") : null;
		if (device == null) {
			throw new DeviceGrantException("device.unavailable");
		}
		String authority = device.optString("authority", "");
		if (authority.startsWith("/")) {
			authority = backend.resolve(authority);
		}
		authority = authority.replaceAll("/+$", "");
		JSONObject metadata = json(this.http.get(authority + "/.well-known/openid-configuration"), "discovery");
		String deviceEndpoint = metadata.optString("device_authorization_endpoint", "");
		String tokenEndpoint = metadata.optString("token_endpoint", "");
		if (deviceEndpoint.isEmpty() || tokenEndpoint.isEmpty()) {
			throw new DeviceGrantException("device.unavailable");
		}
		return new Issuer(deviceEndpoint, tokenEndpoint, device.optString("clientId", ""),
				signIn.optString("scope", ""));
	}

	/**
	 * Asks the issuer for a code to show.
	 * @param issuer from {@link #discover}
	 * @return the code
	 * @throws IOException when the issuer cannot be reached
	 */
	public DeviceCode start(Issuer issuer) throws IOException {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("client_id", issuer.clientId);
		if (!issuer.scope.isEmpty()) {
			form.put("scope", issuer.scope);
		}
		JSONObject started = json(this.http.postForm(issuer.deviceAuthorizationEndpoint, form), "device");
		try {
			String uri = started.getString("verification_uri");
			return new DeviceCode(started.getString("device_code"), started.getString("user_code"), uri,
					started.optString("verification_uri_complete", uri),
					this.clock.millis() + started.optLong("expires_in", 600) * 1000,
					Math.max(1, started.optLong("interval", 5)) * 1000);
		}
		catch (JSONException ex) {
			throw new DeviceGrantException("device.failed");
		}
	}

	/**
	 * Polls until someone approved the code on a phone.
	 * @param issuer from {@link #discover}
	 * @param code from {@link #start}
	 * @return the tokens
	 * @throws DeviceGrantException {@code expired_token} (also when the code's lifetime
	 * passed here), {@code access_denied}, or another OAuth error code
	 * @throws IOException when the issuer cannot be reached
	 * @throws InterruptedException when the sign-in was stopped
	 */
	public Tokens poll(Issuer issuer, DeviceCode code) throws IOException, InterruptedException {
		long interval = code.intervalMillis;
		for (;;) {
			this.clock.sleep(interval);
			if (this.clock.millis() >= code.expiresAtMillis) {
				throw new DeviceGrantException("expired_token");
			}
			Map<String, String> form = new LinkedHashMap<>();
			form.put("grant_type", DEVICE_GRANT);
			form.put("device_code", code.deviceCode);
			form.put("client_id", issuer.clientId);
			Http.Response response = this.http.postForm(issuer.tokenEndpoint, form);
			if (response.status == 200) {
				return tokens(response, issuer.tokenEndpoint, issuer.clientId, null);
			}
			String error = oauthError(response);
			if ("authorization_pending".equals(error)) {
				continue;
			}
			if ("slow_down".equals(error)) {
				interval += SLOW_DOWN_MILLIS;
				continue;
			}
			throw new DeviceGrantException(error);
		}
	}

	/**
	 * Renews the access token with the refresh token.
	 * @param tokens what the glasses hold
	 * @return the new tokens (the refresh token rotated when the issuer rotates it)
	 * @throws DeviceGrantException {@code invalid_grant} when the session is over (sign
	 * in again), or another OAuth error
	 * @throws IOException when the issuer cannot be reached (keep the tokens, try later)
	 */
	public Tokens refresh(Tokens tokens) throws IOException {
		if (!tokens.refreshable()) {
			throw new DeviceGrantException("invalid_grant");
		}
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "refresh_token");
		form.put("refresh_token", tokens.refreshToken);
		form.put("client_id", tokens.clientId);
		Http.Response response = this.http.postForm(tokens.tokenEndpoint, form);
		if (response.status == 200) {
			return tokens(response, tokens.tokenEndpoint, tokens.clientId, tokens.refreshToken);
		}
		if (response.status >= 500) {
			throw new IOException("token endpoint " + response.status);
		}
		throw new DeviceGrantException(oauthError(response));
	}

	private Tokens tokens(Http.Response response, String tokenEndpoint, String clientId, String previousRefresh) {
		try {
			return Tokens.fromTokenResponse(response.body, this.clock.millis(), tokenEndpoint, clientId,
					previousRefresh);
		}
		catch (JSONException ex) {
			throw new DeviceGrantException("device.failed");
		}
	}

	private static String oauthError(Http.Response response) {
		try {
			String error = new JSONObject(response.body).optString("error", "");
			return error.isEmpty() ? "device.failed" : error;
		}
		catch (JSONException ex) {
			return "device.failed";
		}
	}

	private static JSONObject json(Http.Response response, String what) throws IOException {
		if (response.status >= 500) {
			throw new IOException(what + " " + response.status);
		}
		if (response.status != 200) {
			throw new DeviceGrantException("device.failed");
		}
		try {
			return new JSONObject(response.body);
		}
		catch (JSONException ex) {
			throw new DeviceGrantException("device.failed");
		}
	}

	/** The issuer's endpoints and the device client. */
	public static final class Issuer {

		public final String deviceAuthorizationEndpoint;

		public final String tokenEndpoint;

		public final String clientId;

		public final String scope;

		public Issuer(String deviceAuthorizationEndpoint, String tokenEndpoint, String clientId, String scope) {
			this.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint;
			this.tokenEndpoint = tokenEndpoint;
			this.clientId = clientId;
			this.scope = scope;
		}

	}

	/** The code the glasses show, and how to poll for it. */
	public static final class DeviceCode {

		public final String deviceCode;

		public final String userCode;

		public final String verificationUri;

		public final String verificationUriComplete;

		public final long expiresAtMillis;

		public final long intervalMillis;

		public DeviceCode(String deviceCode, String userCode, String verificationUri, String verificationUriComplete,
				long expiresAtMillis, long intervalMillis) {
			this.deviceCode = deviceCode;
			this.userCode = userCode;
			this.verificationUri = verificationUri;
			this.verificationUriComplete = verificationUriComplete;
			this.expiresAtMillis = expiresAtMillis;
			this.intervalMillis = intervalMillis;
		}

	}

	/** A refusal with its OAuth error code (RFC 8628 3.5) or {@code device.*}. */
	public static final class DeviceGrantException extends RuntimeException {

		public final String code;

		public DeviceGrantException(String code) {
			super(code);
			this.code = code;
		}

	}

	/** Time, and waiting; the tests pass one that does not wait. */
	public interface Clock {

		long millis();

		void sleep(long millis) throws InterruptedException;

		Clock SYSTEM = new Clock() {
			@Override
			public long millis() {
				return System.currentTimeMillis();
			}

			@Override
			public void sleep(long millis) throws InterruptedException {
				Thread.sleep(millis);
			}
		};

	}

}
