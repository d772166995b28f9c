package nl.beeldzorg.system;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Everything an operator configures. Outside demo mode the application refuses to start
 * while a required value is missing, and the report names each property (and its
 * environment variable, e.g. {@code BEELDZORG_DATABASE_URL}).
 *
 * @param demo demo mode: embedded database, built-in issuer, seeded users
 * @param database the relational database
 * @param identity the OAuth2 issuer whose access tokens the API accepts
 * @param signalling the signalling endpoint
 * @param ice STUN servers handed to clients, and the ICE transport policy
 * @param turn the TURN server (coturn) and its shared secret
 * @param clients what the web pages and apps are told: camera, bitrate, sign-in
 * @param routing ring timeouts, escalation, expertise tags
 * @param push Web Push (VAPID keys, allowed push services)
 * @param imoz written IMOZ questions: answer time, billing codes
 */
@ConfigurationProperties("beeldzorg")
@Validated
public record BeeldzorgProperties(@Valid Demo demo, @Valid Database database, @Valid Identity identity,
		@Valid Signalling signalling, @Valid Ice ice, @Valid Turn turn, @Valid Clients clients, @Valid Routing routing,
		@Valid Push push, @Valid Imoz imoz) {

	/**
	 * @param enabled whether demo mode is on (the {@code demo} profile turns it on)
	 * @param signingKey a PEM file with an RSA private key (PKCS#8) the demo issuer signs
	 * with, so that the nodes of a demo cluster behind one balancer accept each other's
	 * tokens; unset, each node makes its own key at start-up
	 */
	public record Demo(boolean enabled, @Nullable String signingKey) {
	}

	/**
	 * @param url JDBC URL, {@code jdbc:postgresql://host:5432/beeldzorg} (or
	 * {@code jdbc:h2:file:…} in demo mode); the R2DBC URL is derived from it
	 * @param username database user
	 * @param password database password
	 */
	public record Database(@NotBlank(
			message = "set beeldzorg.database.url (BEELDZORG_DATABASE_URL), e.g. jdbc:postgresql://localhost:5432/beeldzorg") @Nullable String url,
			@Nullable String username, @Nullable String password) {
	}

	/**
	 * @param issuerUri the issuer ({@code iss}) of access tokens; its OpenID
	 * configuration is read for the key set unless {@code jwkSetUri} is given
	 * @param jwkSetUri where the issuer's public keys are
	 * @param audience tokens must name it in {@code aud} (required outside demo mode)
	 * @param clientId the public client (authorization code with PKCE) the web pages sign
	 * in with at the issuer
	 * @param deviceClientId the public client the glasses sign in with by the OAuth 2.0
	 * Device Authorization Grant (RFC 8628): a short code shown on the glasses, approved
	 * on a phone
	 * @param scope the scopes the pages ask for ({@code openid profile}; with Entra ID
	 * also the API's scope, {@code api://…/access_as_user}, so the access token is
	 * Beeldzorg's)
	 * @param claims the claim names read from access tokens
	 */
	public record Identity(@Nullable String issuerUri, @Nullable String jwkSetUri, @Nullable String audience,
			@Nullable String clientId, @Nullable String deviceClientId, @Nullable String scope,
			@Valid @NotNull Claims claims) {

		/**
		 * @return whether the issuer is named: the key set alone is not enough, since
		 * some providers (Entra ID) sign the tokens of every tenant with the same keys
		 */
		@AssertTrue(
				message = "set beeldzorg.identity.issuer-uri (BEELDZORG_IDENTITY_ISSUER_URI), the issuer (iss) of access tokens, e.g. https://sso.example.org/realms/beeldzorg; a key set (jwk-set-uri) alone would accept tokens of any issuer signing with it")
		public boolean isIssuerConfigured() {
			return hasText(this.issuerUri);
		}

	}

	/**
	 * Claim names of access tokens (the defaults are those of {@code API.md}).
	 *
	 * @param userId the user id
	 * @param name display name
	 * @param discipline NURSE, SO, BA, VS, PA, GZP or HUISARTS
	 * @param institution institution id
	 * @param practice a huisarts's practice id
	 * @param roles extra rights (PROGRAMME, ADMIN)
	 */
	public record Claims(@NotBlank String userId, @NotBlank String name, @NotBlank String discipline,
			@NotBlank String institution, @NotBlank String practice, @NotBlank String roles) {
	}

	/**
	 * @param joinTokenSecret HMAC secret of join tokens, at least 32 characters, the same
	 * on every node
	 * @param joinTokenTtl how long a join token is good for a first join
	 * @param reconnectGrace how long a dropped peer keeps its place
	 * @param maxFrameBytes largest inbound frame
	 * @param messagesPerSecond sustained messages per second per connection
	 * @param messageBurst messages allowed at once before the rate applies
	 * @param maxPeersPerRoom participants in one consult
	 * @param joinTimeout how long a new socket may take to send a valid {@code join};
	 * then it gets {@code signalling.join-timeout} and is closed
	 */
	public record Signalling(@NotBlank(
			message = "set beeldzorg.signalling.join-token-secret (BEELDZORG_SIGNALLING_JOIN_TOKEN_SECRET), at least 32 characters, the same on every node") @Nullable String joinTokenSecret,
			@NotNull Duration joinTokenTtl, @NotNull Duration reconnectGrace, @Min(1024) int maxFrameBytes,
			@Min(1) int messagesPerSecond, @Min(1) int messageBurst, @Min(2) @Max(16) int maxPeersPerRoom,
			@NotNull Duration joinTimeout) {

		/**
		 * @return whether the secret is long enough
		 */
		@AssertTrue(message = "beeldzorg.signalling.join-token-secret must be at least 32 characters")
		public boolean isSecretLongEnough() {
			return !hasText(this.joinTokenSecret) || this.joinTokenSecret.length() >= 32;
		}

	}

	/**
	 * @param stunUrls STUN server URLs for clients, e.g.
	 * {@code stun:stun.example.org:3478}
	 * @param transportPolicy {@code all}, or {@code relay} to send all media through TURN
	 * (networks that block direct UDP)
	 */
	public record Ice(List<String> stunUrls, @NotNull @Pattern(regexp = "all|relay",
			message = "beeldzorg.ice.transport-policy is all or relay") String transportPolicy) {
	}

	/**
	 * TURN with coturn's shared-secret scheme ({@code use-auth-secret} and
	 * {@code static-auth-secret} in {@code turnserver.conf}): each user gets a username
	 * {@code expiry:userId} and the password HMAC-SHA1 of it under the secret.
	 *
	 * @param urls TURN URLs, e.g. {@code turn:turn.example.org:3478?transport=udp},
	 * {@code turns:turn.example.org:5349?transport=tcp}; empty for no TURN
	 * @param secret coturn's {@code static-auth-secret}
	 * @param ttl how long a credential is good for
	 */
	public record Turn(List<String> urls, @Nullable String secret, @NotNull Duration ttl) {

		/**
		 * @return whether a secret is configured when TURN is
		 */
		@AssertTrue(
				message = "set beeldzorg.turn.secret (BEELDZORG_TURN_SECRET), coturn's static-auth-secret, at least 16 characters, or leave beeldzorg.turn.urls empty")
		public boolean isSecretConfigured() {
			return this.urls == null || this.urls.stream().allMatch(String::isBlank)
					|| (hasText(this.secret) && this.secret.length() >= 16);
		}

	}

	/**
	 * @param videoWidth camera width the glasses ask for
	 * @param videoHeight camera height the glasses ask for
	 * @param maxVideoKbps cap on the video bitrate a page sends, for weak Wi-Fi
	 */
	public record Clients(@Min(160) @Max(3840) int videoWidth, @Min(120) @Max(2160) int videoHeight,
			@Min(100) @Max(20000) int maxVideoKbps) {
	}

	/**
	 * @param ringTimeoutRoutine how long a ROUTINE consult rings one stage unanswered
	 * @param ringTimeoutUrgent the same for URGENT
	 * @param ringTimeoutEmergency the same for EMERGENCY
	 * @param escalationInterval how often a node looks for consults whose ring timed out
	 * @param expertiseTags the expertise tags consultants can carry
	 */
	public record Routing(@NotNull Duration ringTimeoutRoutine, @NotNull Duration ringTimeoutUrgent,
			@NotNull Duration ringTimeoutEmergency, @NotNull Duration escalationInterval,
			@NotNull List<String> expertiseTags) {
	}

	/**
	 * @param subject the VAPID subject, a {@code mailto:} or {@code https:} contact of
	 * the operator
	 * @param publicKey the VAPID public key (uncompressed P-256 point, Base64url); empty
	 * in demo mode: a key pair is generated at start
	 * @param privateKey the VAPID private key (Base64url)
	 * @param allowedHosts push service hosts subscriptions may point at (suffix match)
	 * @param ttl how long a push service keeps an undelivered ring
	 */
	public record Push(@NotBlank String subject, @Nullable String publicKey, @Nullable String privateKey,
			@NotNull List<String> allowedHosts, @NotNull Duration ttl) {
	}

	/**
	 * @param answerWithinDays the agreed days an SO has to answer a written question
	 * @param billingCodes the codes an answered consultation is declared with, code to
	 * description
	 * @param photoMaxSize the largest photo a huisarts may add to a question
	 * @param photosPerQuestion how many photos one question may carry
	 */
	public record Imoz(@Min(1) @Max(30) int answerWithinDays, @NotNull java.util.Map<String, String> billingCodes,
			@NotNull org.springframework.util.unit.DataSize photoMaxSize, @Min(1) @Max(20) int photosPerQuestion) {
	}

	/**
	 * Outside demo mode a token must be meant for Beeldzorg: without an audience a token
	 * the same issuer made for another application would be accepted.
	 * @return whether the audience is set when it must be
	 */
	@AssertTrue(
			message = "set beeldzorg.identity.audience (BEELDZORG_IDENTITY_AUDIENCE), the aud of access tokens meant for Beeldzorg (beeldzorg-api with the realm in infra/keycloak; with Entra ID the API registration's Application (client) ID); without it a token the issuer made for another application would be accepted")
	public boolean isAudienceConfigured() {
		return demoMode() || this.identity == null || hasText(this.identity.audience());
	}

	/**
	 * @return whether the pages have a client to sign in with outside demo mode
	 */
	@AssertTrue(
			message = "set beeldzorg.identity.client-id (BEELDZORG_IDENTITY_CLIENT_ID), the public client the pages sign in with (beeldzorg-web with the realm in infra/keycloak)")
	public boolean isClientIdConfigured() {
		return demoMode() || this.identity == null || hasText(this.identity.clientId());
	}

	/**
	 * @return whether the issuer is a web address outside demo mode (the pages sign in
	 * there, the backend reads its keys there)
	 */
	@AssertTrue(
			message = "beeldzorg.identity.issuer-uri (BEELDZORG_IDENTITY_ISSUER_URI) must be an https:// URL (http:// only on localhost), the issuer exactly as it writes iss")
	public boolean isIssuerAWebAddress() {
		if (demoMode() || this.identity == null || !hasText(this.identity.issuerUri())) {
			return true;
		}
		String issuer = this.identity.issuerUri();
		return issuer.startsWith("https://") || issuer.startsWith("http://localhost")
				|| issuer.startsWith("http://127.0.0.1") || issuer.startsWith("http://[::1]");
	}

	private boolean demoMode() {
		return this.demo != null && this.demo.enabled();
	}

	static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

}
