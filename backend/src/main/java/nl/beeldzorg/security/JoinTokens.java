package nl.beeldzorg.security;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import nl.beeldzorg.system.BeeldzorgProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Join tokens admit one user to the signalling room of one consult. Signed with a secret
 * shared by all nodes, short-lived for the first join; a user who has joined may rejoin
 * with the same token until the consult ends (checked by the join authorizer).
 */
@Component
public class JoinTokens {

	private static final String AUDIENCE = "beeldzorg-signalling";

	private final byte[] secret;

	private final Duration ttl;

	private final Clock clock;

	JoinTokens(BeeldzorgProperties properties, Clock clock) {
		this.secret = Objects.requireNonNull(properties.signalling().joinTokenSecret(), "join-token-secret")
			.getBytes(StandardCharsets.UTF_8);
		this.ttl = properties.signalling().joinTokenTtl();
		this.clock = clock;
	}

	/**
	 * Issues a token.
	 * @param consultId the consult
	 * @param user the user it admits
	 * @return the compact token
	 */
	public String issue(UUID consultId, CurrentUser user) {
		Instant now = this.clock.instant();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user.userId())
			.audience(AUDIENCE)
			.claim("cid", consultId.toString())
			.claim("name", user.name())
			.claim("disc", (user.discipline() != null) ? user.discipline().name() : "")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.ttl)))
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
			jwt.sign(new MACSigner(this.secret));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not sign a join token", ex);
		}
	}

	/**
	 * Checks a token's signature and reads it. Expiry is reported, not enforced here.
	 * @param token the compact token
	 * @return its content, or {@code null} when it is malformed or forged
	 */
	public @Nullable JoinClaims verify(String token) {
		try {
			SignedJWT jwt = SignedJWT.parse(token);
			if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
					|| !jwt.verify(new MACVerifier(this.secret))) {
				return null;
			}
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			if (!claims.getAudience().contains(AUDIENCE) || claims.getExpirationTime() == null) {
				return null;
			}
			String consultId = claims.getStringClaim("cid");
			String name = claims.getStringClaim("name");
			String discipline = claims.getStringClaim("disc");
			if (consultId == null || claims.getSubject() == null) {
				return null;
			}
			boolean expired = claims.getExpirationTime().toInstant().isBefore(this.clock.instant());
			return new JoinClaims(UUID.fromString(consultId), claims.getSubject(), (name != null) ? name : "",
					(discipline != null) ? discipline : "", expired);
		}
		catch (ParseException | JOSEException | IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * What a join token says.
	 *
	 * @param consultId the consult
	 * @param userId the user
	 * @param name the user's display name
	 * @param discipline the user's discipline
	 * @param expired whether it is past its first-join lifetime
	 */
	public record JoinClaims(UUID consultId, String userId, String name, String discipline, boolean expired) {
	}

}
