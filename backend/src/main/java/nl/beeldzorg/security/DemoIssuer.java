package nl.beeldzorg.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import nl.beeldzorg.directory.DemoDirectory.DemoUser;
import nl.beeldzorg.system.BeeldzorgProperties;
import org.jspecify.annotations.Nullable;

/**
 * The built-in OAuth2 issuer of demo mode: signs access tokens for the seeded users with
 * a key made at start-up. Never present outside demo mode.
 */
public class DemoIssuer {

	/** Lifetime of a demo access token. */
	public static final Duration TOKEN_TTL = Duration.ofHours(1);

	private final RSAKey key;

	private final String issuer;

	private final BeeldzorgProperties.Claims claims;

	private final Clock clock;

	private final @Nullable String audience;

	DemoIssuer(String issuer, @Nullable String audience, BeeldzorgProperties.Claims claims, Clock clock,
			@Nullable String signingKey) {
		this.issuer = issuer;
		this.audience = audience;
		this.claims = claims;
		this.clock = clock;
		this.key = (signingKey != null && !signingKey.isBlank()) ? load(Path.of(signingKey)) : generate();
	}

	/**
	 * @return the public key that checks the tokens
	 */
	public RSAPublicKey publicKey() {
		try {
			return this.key.toRSAPublicKey();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @return the issuer ({@code iss}) of the tokens
	 */
	public String issuer() {
		return this.issuer;
	}

	/**
	 * @return the public key set, as a JWKS document
	 */
	public Map<String, Object> jwks() {
		return new JWKSet(this.key.toPublicJWK()).toJSONObject();
	}

	/**
	 * Signs an access token for a demo user.
	 * @param user the user
	 * @return the compact JWT
	 */
	public String issue(DemoUser user) {
		Instant now = this.clock.instant();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(this.issuer)
			.subject(user.userId())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(TOKEN_TTL)))
			.jwtID(UUID.randomUUID().toString())
			.claim(this.claims.name(), user.name())
			.claim("preferred_username", user.username())
			.claim(this.claims.roles(), user.roles());
		if (this.audience != null && !this.audience.isBlank()) {
			claims.audience(this.audience);
		}
		if (user.discipline() != null) {
			claims.claim(this.claims.discipline(), user.discipline().name());
		}
		if (user.institution() != null) {
			claims.claim(this.claims.institution(), user.institution());
		}
		if (user.practice() != null) {
			claims.claim(this.claims.practice(), user.practice());
		}
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.key.getKeyID()).build(),
					claims.build());
			jwt.sign(new RSASSASigner(this.key.toRSAPrivateKey()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not sign a demo token", ex);
		}
	}

	/**
	 * Reads the shared key of a demo cluster: a PKCS#8 PEM file
	 * ({@code openssl genpkey -algorithm RSA}).
	 */
	private static RSAKey load(Path file) {
		try {
			String base64 = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
			KeyFactory rsa = KeyFactory.getInstance("RSA");
			RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa
				.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
			RSAPublicKey publicKey = (RSAPublicKey) rsa
				.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
			return new RSAKey.Builder(publicKey).privateKey(privateKey)
				.keyUse(KeyUse.SIGNATURE)
				.keyIDFromThumbprint()
				.build();
		}
		catch (IOException | GeneralSecurityException | JOSEException | ClassCastException ex) {
			throw new IllegalStateException("Could not read the demo signing key " + file, ex);
		}
	}

	private static RSAKey generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
				.keyUse(KeyUse.SIGNATURE)
				.keyID(UUID.randomUUID().toString())
				.build();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
