package nl.beeldzorg.glasses;

import org.json.JSONException;
import org.json.JSONObject;

/**
 * What the glasses hold after signing in: the access token, the refresh token when the
 * issuer gives one (Keycloak does; the demo issuer does not), when the access token
 * expires, and where and as which client to refresh it.
 */
public final class Tokens {

	public final String accessToken;

	public final String refreshToken;

	public final long expiresAtMillis;

	public final String tokenEndpoint;

	public final String clientId;

	public Tokens(String accessToken, String refreshToken, long expiresAtMillis, String tokenEndpoint,
			String clientId) {
		this.accessToken = accessToken;
		this.refreshToken = refreshToken;
		this.expiresAtMillis = expiresAtMillis;
		this.tokenEndpoint = tokenEndpoint;
		this.clientId = clientId;
	}

	/**
	 * Reads an RFC 6749 token response.
	 * @param body the JSON
	 * @param nowMillis the time it arrived
	 * @param tokenEndpoint where it came from
	 * @param clientId as which client
	 * @param previousRefreshToken kept when a refresh response has no new one
	 * @return the tokens
	 * @throws JSONException when there is no access token
	 */
	public static Tokens fromTokenResponse(String body, long nowMillis, String tokenEndpoint, String clientId,
			String previousRefreshToken) throws JSONException {
		JSONObject json = new JSONObject(body);
		String access = json.getString("access_token");
		long expiresIn = json.optLong("expires_in", 300);
		String refresh = json.optString("refresh_token", "");
		return new Tokens(access, refresh.isEmpty() ? previousRefreshToken : refresh, nowMillis + expiresIn * 1000,
				tokenEndpoint, clientId);
	}

	public boolean expiresWithin(long millis, long nowMillis) {
		return this.expiresAtMillis - nowMillis <= millis;
	}

	public boolean refreshable() {
		return this.refreshToken != null && !this.refreshToken.isEmpty();
	}

	public String toJson() {
		try {
			JSONObject json = new JSONObject();
			json.put("accessToken", this.accessToken);
			json.put("refreshToken", (this.refreshToken != null) ? this.refreshToken : "");
			json.put("expiresAt", this.expiresAtMillis);
			json.put("tokenEndpoint", this.tokenEndpoint);
			json.put("clientId", this.clientId);
			return json.toString();
		}
		catch (JSONException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static Tokens fromJson(String stored) throws JSONException {
		JSONObject json = new JSONObject(stored);
		String refresh = json.optString("refreshToken", "");
		return new Tokens(json.getString("accessToken"), refresh.isEmpty() ? null : refresh, json.getLong("expiresAt"),
				json.getString("tokenEndpoint"), json.getString("clientId"));
	}

}
