package nl.beeldzorg.support;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A test OAuth2 issuer: a real RSA key, its JWKS served over HTTP on a random loopback
 * port, and really signed access tokens. The application checks them through its real
 * production decoder.
 */
public final class TestTokens implements AutoCloseable {

	/** The issuer claim of the tokens. */
	public static final String ISSUER = "https://issuer.test/realms/beeldzorg";

	/** The audience the tokens are for (outside demo mode the backend requires one). */
	public static final String AUDIENCE = "beeldzorg-api";

	private final RSAKey key;

	private final DisposableServer server;

	public TestTokens() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			this.key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
				.keyID(UUID.randomUUID().toString())
				.build();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		String jwks = new JWKSet(this.key.toPublicJWK()).toString();
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/jwks",
					(request, response) -> response.header("Content-Type", "application/json")
						.sendString(reactor.core.publisher.Mono.just(jwks))))
			.bindNow();
	}

	/**
	 * @return the URL of the served key set
	 */
	public String jwkSetUri() {
		return "http://127.0.0.1:" + this.server.port() + "/jwks";
	}

	/**
	 * A token for a staff member of an institution.
	 * @param userId subject
	 * @param discipline discipline claim
	 * @param institution institution claim
	 * @return the signed token, valid for an hour
	 */
	public String staff(String userId, String discipline, String institution) {
		return sign(Map.of("sub", userId, "name", "Test " + userId, "discipline", discipline, "institution",
				institution, "roles", List.of()), Duration.ofHours(1));
	}

	/**
	 * Signs arbitrary claims.
	 * @param claims the claims
	 * @param lifetime from now; negative for an expired token
	 * @return the signed token
	 */
	public String sign(Map<String, Object> claims, Duration lifetime) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(ISSUER)
			.issueTime(Date.from(now.minus(Duration.ofMinutes(10))))
			.expirationTime(Date.from(now.plus(lifetime)))
			.audience(AUDIENCE);
		claims.forEach(builder::claim);
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.key.getKeyID()).build(),
					builder.build());
			jwt.sign(new RSASSASigner(this.key.toRSAPrivateKey()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
