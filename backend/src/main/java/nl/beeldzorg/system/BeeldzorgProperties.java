package nl.beeldzorg.system;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
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
 * @param ice STUN servers handed to clients
 */
@ConfigurationProperties("beeldzorg")
@Validated
public record BeeldzorgProperties(@Valid Demo demo, @Valid Database database, @Valid Identity identity,
		@Valid Signalling signalling, @Valid Ice ice) {

	/**
	 * @param enabled whether demo mode is on (the {@code demo} profile turns it on)
	 */
	public record Demo(boolean enabled) {
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
	 * @param audience when set, tokens must name it in {@code aud}
	 * @param claims the claim names read from access tokens
	 */
	public record Identity(@Nullable String issuerUri, @Nullable String jwkSetUri, @Nullable String audience,
			@Valid @NotNull Claims claims) {

		/**
		 * @return whether tokens can be checked
		 */
		@AssertTrue(
				message = "set beeldzorg.identity.issuer-uri (BEELDZORG_IDENTITY_ISSUER_URI) or beeldzorg.identity.jwk-set-uri (BEELDZORG_IDENTITY_JWK_SET_URI)")
		public boolean isIssuerConfigured() {
			return hasText(this.issuerUri) || hasText(this.jwkSetUri);
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
	 */
	public record Signalling(@NotBlank(
			message = "set beeldzorg.signalling.join-token-secret (BEELDZORG_SIGNALLING_JOIN_TOKEN_SECRET), at least 32 characters, the same on every node") @Nullable String joinTokenSecret,
			@NotNull Duration joinTokenTtl, @NotNull Duration reconnectGrace, @Min(1024) int maxFrameBytes,
			@Min(1) int messagesPerSecond, @Min(1) int messageBurst, @Min(2) @Max(16) int maxPeersPerRoom) {

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
	 */
	public record Ice(List<String> stunUrls) {
	}

	static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

}
