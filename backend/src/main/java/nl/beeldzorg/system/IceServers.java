package nl.beeldzorg.system;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import nl.beeldzorg.signalling.protocol.IceServer;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The STUN and TURN servers handed to clients in {@code join} and {@code joined}. TURN
 * credentials follow coturn's shared-secret scheme: username {@code expiry:userId}
 * (expiry in Unix seconds), password the Base64 HMAC-SHA1 of the username under the
 * secret. coturn checks both without calling us, and a leaked credential dies with its
 * expiry.
 */
@Component
public class IceServers {

	private final List<String> stun;

	private final List<String> turn;

	private final @Nullable SecretKeySpec secret;

	private final Duration ttl;

	private final Clock clock;

	IceServers(BeeldzorgProperties properties, Clock clock) {
		this.clock = clock;
		this.stun = nonBlank((properties.ice() != null) ? properties.ice().stunUrls() : null);
		BeeldzorgProperties.Turn turn = properties.turn();
		this.turn = nonBlank((turn != null) ? turn.urls() : null);
		this.secret = (turn != null && turn.secret() != null && !this.turn.isEmpty())
				? new SecretKeySpec(turn.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA1") : null;
		this.ttl = (turn != null) ? turn.ttl() : Duration.ofHours(1);
	}

	/**
	 * @param userId the user the servers are for
	 * @return the servers, with fresh TURN credentials for this user
	 */
	public List<IceServer> forUser(String userId) {
		List<IceServer> servers = new ArrayList<>(2);
		if (!this.stun.isEmpty()) {
			servers.add(new IceServer(this.stun, null, null));
		}
		if (this.secret != null) {
			long expiry = this.clock.instant().plus(this.ttl).getEpochSecond();
			String username = expiry + ":" + userId;
			servers.add(new IceServer(this.turn, username, credential(this.secret, username)));
		}
		return servers;
	}

	static String credential(SecretKeySpec secret, String username) {
		try {
			Mac mac = Mac.getInstance("HmacSHA1");
			mac.init(secret);
			return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA1 is part of every JRE", ex);
		}
	}

	private static List<String> nonBlank(@Nullable List<String> urls) {
		return (urls != null) ? urls.stream().filter((url) -> !url.isBlank()).toList() : List.of();
	}

}
